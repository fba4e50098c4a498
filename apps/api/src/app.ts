/**
 * Composes the API: the plugins (on the platform layer), then the feature modules (their services,
 * then their routes, live updates and jobs), demo data, and the web app for every other path.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Database } from '@opsi/db/database';
import { systemClock, type Clock } from './platform/clock.ts';
import { lazySchemaCompilers } from './schema-compilers.ts';
import { readableLines } from './platform/log-lines.ts';
import type { Config } from './config.ts';
// Every module's activity verbs and kinds of job, known before anything is written or read.
import './catalogue.ts';
import errors from './plugins/errors.ts';
import controlCharacters from './plugins/control-characters.ts';
import security from './plugins/security.ts';
import compression from './plugins/compression.ts';
import metrics from './plugins/metrics.ts';
import drain from './plugins/drain.ts';
import database from './plugins/database.ts';
import outbox from './plugins/outbox.ts';
import invalidations from './plugins/invalidations.ts';
import cache from './plugins/cache.ts';
import front, { createFront } from './plugins/front.ts';
import { requestId } from './platform/request-id.ts';
import upgrades from './plugins/upgrades.ts';
import realtime from './plugins/realtime.ts';
import stream from './plugins/stream.ts';
import openapi from './plugins/openapi.ts';
import web from './plugins/web.ts';
import csrf from './plugins/csrf.ts';
import mail from './plugins/mail.ts';
import session from './plugins/session.ts';
import sessionStore from './modules/accounts/session-store.ts';
import limitsService from './modules/limits/plugin.ts';
import accountsService from './modules/accounts/plugin.ts';
import profilesService from './modules/profiles/plugin.ts';
import casesService from './modules/cases/plugin.ts';
import discussionsService from './modules/discussions/plugin.ts';
import eventsService from './modules/events/plugin.ts';
import followsService from './modules/follows/plugin.ts';
import notificationsService from './modules/notifications/plugin.ts';
import digestsService from './modules/digests/plugin.ts';
import auditService from './modules/audit/plugin.ts';
import standingService from './modules/accounts/standing/plugin.ts';
import moderationService from './modules/moderation/plugin.ts';
import memberToolsService from './modules/member-tools/plugin.ts';
import verificationService from './modules/accounts/verification/plugin.ts';
import setupService from './modules/accounts/setup/plugin.ts';
import privacyService from './modules/privacy/plugin.ts';
import transparencyService from './modules/transparency/plugin.ts';
import proposalsService from './modules/proposals/plugin.ts';
import suggestionsService from './modules/suggestions/plugin.ts';
// Introductions (issue 17): service, routes and email jobs.
import introductionsService from './modules/introductions/plugin.ts';
import introductionsRoutes from './modules/introductions/routes.ts';
import introductionJobs from './modules/introductions/jobs.ts';
import accountsRoutes from './modules/accounts/routes.ts';
import privacyRoutes from './modules/privacy/routes.ts';
import profilesRoutes from './modules/profiles/routes.ts';
import healthRoutes from './modules/health/routes.ts';
import referenceRoutes from './modules/reference/routes.ts';
import casesRoutes from './modules/cases/routes.ts';
import caseTranslationRoutes from './modules/cases/translations/routes.ts';
import discussionsRoutes from './modules/discussions/routes.ts';
import liveThreads from './modules/discussions/live.ts';
import eventsRoutes from './modules/events/routes.ts';
import calendarRoutes from './modules/events/calendar/routes.ts';
import liveEvents from './modules/events/live.ts';
import jobs from './plugins/jobs.ts';
import followsRoutes from './modules/follows/routes.ts';
import notificationsRoutes from './modules/notifications/routes.ts';
import notifier from './modules/notifications/notifier.ts';
import digestsRoutes from './modules/digests/routes.ts';
import auditRoutes from './modules/audit/routes.ts';
import standingRoutes from './modules/accounts/standing/routes.ts';
import moderationRoutes from './modules/moderation/routes.ts';
import liveModeration from './modules/moderation/live.ts';
import memberToolsRoutes from './modules/member-tools/routes.ts';
import trustRoutes from './modules/accounts/trust/routes.ts';
import verificationRoutes from './modules/accounts/verification/routes.ts';
import languageRoutes from './modules/accounts/language/routes.ts';
import adminRoutes from './modules/accounts/standing/admin-routes.ts';
import setupRoutes from './modules/accounts/setup/routes.ts';
import transparencyRoutes from './modules/transparency/routes.ts';
import proposalsRoutes from './modules/proposals/routes.ts';
import suggestionsRoutes from './modules/suggestions/routes.ts';
import digestJobs from './modules/digests/jobs.ts';
import retentionJobs from './modules/retention/jobs.ts';
import eventJobs from './modules/events/notices/jobs.ts';
import demo from './demo.ts';
import adminDoor from './operator/listener.ts';
// The live layer of events (issue 17): Q&A and polls.
import liveService from './modules/events/qa/plugin.ts';
import liveRoutes from './modules/events/qa/routes.ts';

export interface AppOptions {
  config: Config;
  /** An open database to use instead of creating one from config (tests). */
  database?: Database;
  /** The time the services' rules run on (rate windows, lifetimes, digest periods); the real time by default. */
  clock?: Clock;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The app's clock (platform/clock.ts): every service and plugin reads the time from it. */
    clock: Clock;
    /** Compiles the route schemas not used yet, in the background (server.ts, once listening). */
    warmSchemas(): Promise<void>;
  }
}

const AJV_OPTIONS = { allErrors: true, coerceTypes: 'array', removeAdditional: false } as const;

export async function buildApp({
  config,
  database: openDatabase,
  clock = systemClock,
}: AppOptions): Promise<FastifyInstance> {
  const schemas = lazySchemaCompilers(AJV_OPTIONS);
  const frontDoor = createFront();
  const app = Fastify({
    logger: {
      level: config.logLevel,
      redact: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'],
      // JSON lines unless asked for readable ones (server.ts: LOG_FORMAT, or a terminal).
      ...(config.logFormat === 'pretty' ? { stream: readableLines(process.stdout) } : {}),
    },
    requestIdHeader: false,
    genReqId: (request) => requestId(request.headers['x-request-id']),
    trustProxy: config.trustProxy,
    bodyLimit: config.bodyLimitBytes,
    // Opening PGlite and migrating can take a while on a first start on a slow disk.
    pluginTimeout: 120_000,
    // A request that reaches a draining node on a connection it already had is answered, not
    // refused with 503: the node still has everything it needs until its connections are closed
    // (plugins/drain.ts).
    return503OnClosing: false,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    ajv: { customOptions: AJV_OPTIONS },
    // Validators and serializers compiled on first use (schema-compilers.ts): a start does not
    // compile a few hundred schemas before it serves.
    schemaController: { compilersFactory: schemas.compilersFactory },
    // Anonymous reads the public cache answered are answered again before Fastify (plugins/front.ts).
    serverFactory: frontDoor.serverFactory,
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorate('config', config);
  app.decorate('warmSchemas', () => schemas.warm());
  app.decorate('clock', clock);
  await app.register(errors);
  await app.register(controlCharacters);
  await app.register(security, { config });
  await app.register(compression, { config });
  await app.register(metrics);
  await app.register(drain, { config });
  await app.register(csrf, { config });
  await app.register(mail, { config });
  await app.register(database, { config, ...(openDatabase ? { database: openDatabase } : {}) });
  // `npm run admin` through a running embedded server (loopback, token in DATA_DIR/admin.json).
  await app.register(adminDoor, { config });
  await app.register(invalidations);
  // The session plugin runs on the store the accounts module provides (it knows no feature).
  await app.register(sessionStore);
  await app.register(session, { config });
  await app.register(outbox);
  await app.register(cache);
  await app.register(front, { front: frontDoor });
  await app.register(jobs, { config });
  await app.register(upgrades);
  await app.register(realtime, { config });
  await app.register(openapi, { config });
  await app.register(stream);
  // The feature services, each built once and decorated (fastify.cases, fastify.events, …).
  await app.register(limitsService);
  await app.register(auditService);
  await app.register(accountsService);
  await app.register(profilesService);
  await app.register(casesService);
  await app.register(discussionsService);
  await app.register(eventsService);
  await app.register(followsService);
  await app.register(notificationsService);
  await app.register(digestsService);
  await app.register(standingService);
  await app.register(moderationService);
  await app.register(memberToolsService);
  await app.register(verificationService);
  await app.register(setupService);
  await app.register(privacyService);
  await app.register(transparencyService);
  await app.register(proposalsService);
  await app.register(suggestionsService);
  await app.register(introductionsService);
  // Their routes, live updates and jobs.
  await app.register(healthRoutes);
  await app.register(referenceRoutes);
  await app.register(casesRoutes);
  await app.register(caseTranslationRoutes);
  await app.register(discussionsRoutes);
  await app.register(liveThreads);
  await app.register(eventsRoutes);
  await app.register(calendarRoutes);
  await app.register(liveEvents);
  await app.register(followsRoutes);
  await app.register(notificationsRoutes);
  await app.register(notifier);
  await app.register(digestsRoutes);
  await app.register(digestJobs);
  await app.register(retentionJobs);
  await app.register(eventJobs);
  await app.register(accountsRoutes);
  await app.register(privacyRoutes);
  await app.register(profilesRoutes);
  await app.register(auditRoutes);
  await app.register(standingRoutes);
  await app.register(moderationRoutes);
  await app.register(liveModeration);
  await app.register(memberToolsRoutes);
  await app.register(trustRoutes);
  await app.register(verificationRoutes);
  await app.register(languageRoutes);
  await app.register(adminRoutes);
  await app.register(setupRoutes);
  await app.register(transparencyRoutes);
  await app.register(proposalsRoutes);
  await app.register(suggestionsRoutes);
  await app.register(introductionsRoutes);
  await app.register(introductionJobs);
  // The live layer of events (issue 17): Q&A and polls, its service then its routes.
  await app.register(liveService);
  await app.register(liveRoutes);
  await app.register(demo);
  await app.register(web, { config });
  return app;
}
