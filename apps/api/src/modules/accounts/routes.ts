import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  AccountEmail,
  EmailChangeBody,
  EmailChangePending,
  EmailConfirmBody,
  EmailConfirmed,
  LoginBody,
  PasswordChangeBody,
  ResetConfirmBody,
  ResetRequestBody,
  SessionInfo,
  SignupBody,
  UserEnvelope,
} from '@opsi/contracts/accounts';
import { ErrorBody } from '@opsi/contracts/common';
import { requireUser } from '../../plugins/session.ts';
import { Me } from '@opsi/contracts/profiles';
import { pageLink } from '../../platform/mail-template.ts';
import { changedEmail, changeRequestedEmail, confirmAddressEmail, langOf, resetEmail } from './mail.ts';
import { EMAIL_CHANGE_HOURS } from './service.ts';
import { RESET_JOB, VERIFY_JOB } from './catalogue-entries.ts';
import { mailVerificationLink } from './verification/send.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 409: ErrorBody, 422: ErrorBody, 429: ErrorBody };
const HOUR = 60 * 60 * 1000;

const accountsRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { accounts, profiles } = fastify;

  fastify.post(
    '/api/v1/auth/signup',
    {
      config: { rateLimit: { max: fastify.config.signupsPerHour, timeWindow: HOUR } },
      // The verification email goes from the job queue, after the answer.
      onResponse: async () => void fastify.jobs.poke(),
      schema: {
        tags: ['accounts'],
        summary: 'Create an account and sign in',
        description:
          'A link to confirm the address is mailed (in `lang`, which becomes the member’s language); until it is ' +
          'used, no notification email and no digest goes to the address.',
        body: Type.Object({ ...SignupBody.properties, lang: Type.Optional(Type.Enum(['en', 'fr'])) }),
        response: { 201: UserEnvelope, ...errors },
      },
    },
    async (request, reply) => {
      const user = await accounts.signup(request.body, request.body.lang ?? 'en');
      await fastify.sessions.start(request, reply, user.id);
      await fastify.verification.queueLink(user.id, request.body.lang ?? 'en');
      return reply.status(201).send({ user });
    },
  );

  fastify.post(
    '/api/v1/auth/login',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Sign in (a new session token every time)',
        description:
          'Any mismatch answers 401 with the same message. Limited per address and per account from each address.',
        body: LoginBody,
        response: { 200: UserEnvelope, ...errors },
      },
    },
    async (request, reply) => {
      const user = await accounts.login(request.body.email, request.body.password, request.ip);
      if (request.sessionId) await fastify.sessions.end(request, reply);
      await fastify.sessions.start(request, reply, user.id);
      return { user };
    },
  );

  fastify.post(
    '/api/v1/auth/logout',
    {
      config: { auth: 'optional' },
      schema: {
        tags: ['accounts'],
        summary: 'Sign out: the session is revoked and its sockets closed',
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      await fastify.sessions.end(request, reply);
      return reply.status(204).send(null);
    },
  );

  fastify.post(
    '/api/v1/auth/password-reset',
    {
      config: { rateLimit: { max: fastify.config.resetsPerHour, timeWindow: HOUR } },
      // The email goes from the job queue, after the answer.
      onResponse: async () => void fastify.jobs.poke(),
      schema: {
        tags: ['accounts'],
        summary: 'Email a single-use reset link (valid one hour)',
        description:
          'Always 202, whether or not the email has an account, after the same work either way: the link is made and mailed by a job (`email.password_reset`), after the answer. The email is in the member’s language (`lang`, the page’s, is no longer used for it).',
        body: Type.Object({ ...ResetRequestBody.properties, lang: Type.Optional(Type.Enum(['en', 'fr'])) }),
        response: { 202: Type.Object({ status: Type.Literal('sent_if_known') }), ...errors },
      },
    },
    async (request, reply) => {
      await accounts.queueReset(request.body.email, request.body.lang ?? 'en');
      return reply.status(202).send({ status: 'sent_if_known' as const });
    },
  );

  fastify.jobs.register(RESET_JOB, async (job) => {
    const reset = await accounts.requestReset(job.payload.email);
    if (!reset) return;
    // In the member's language (the page's `lang` asked from is not theirs to choose for the account).
    const lang = langOf(reset.locale);
    const link = pageLink(fastify.config.publicOrigin, lang, `/reset/${reset.token}`);
    await fastify.mailer.send({ to: reset.email, ...resetEmail(lang, reset.displayName, link) });
  });

  fastify.jobs.register(VERIFY_JOB, async (job) => {
    await mailVerificationLink(fastify, job.payload.userId);
  });

  fastify.get(
    '/api/v1/auth/password-reset/:token',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Whether a reset token can still be used',
        params: Type.Object({ token: Type.String({ maxLength: 200 }) }),
        response: { 200: Type.Object({ valid: Type.Boolean() }) },
      },
    },
    async (request) => ({ valid: await accounts.resetIsUsable(request.params.token) }),
  );

  fastify.post(
    '/api/v1/auth/password-reset/confirm',
    {
      config: { rateLimit: { max: fastify.config.tokenChecksPerHour, timeWindow: HOUR } },
      schema: {
        tags: ['accounts'],
        summary: 'Set a new password with a reset token',
        description: 'Every other reset link of the account dies, and so does a pending email change.',
        body: ResetConfirmBody,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      const { revoked } = await accounts.confirmReset(request.body.token, request.body.newPassword);
      fastify.sessions.revoked(revoked);
      return reply.status(204).send(null);
    },
  );

  fastify.get(
    '/api/v1/me',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Who is signed in: the user, their profile and their email',
        response: { 200: Me, 401: ErrorBody },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const { email, ...publicUser } = user;
      const [profile, emailVerified, language] = await Promise.all([
        profiles.getProfileByUserId(user.id),
        fastify.verification.verified(user.id),
        accounts.language(user.id),
      ]);
      return { user: publicUser, profile, email, emailVerified, language };
    },
  );

  fastify.get(
    '/api/v1/me/sessions',
    {
      schema: {
        tags: ['accounts'],
        summary: "The caller's sessions",
        response: { 200: Type.Object({ items: Type.Array(SessionInfo) }), 401: ErrorBody },
      },
    },
    async (request) => {
      const user = requireUser(request);
      return { items: await accounts.sessions(user.id, request.sessionId) };
    },
  );

  fastify.delete(
    '/api/v1/me/sessions/:id',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Revoke one of your sessions (its sockets close too)',
        params: Type.Object({ id: Type.String({ pattern: '^[0-9a-f]{16}$' }) }),
        response: { 204: Type.Null(), 400: ErrorBody, 401: ErrorBody, 404: ErrorBody },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const revoked = await accounts.revokeSession(user.id, request.params.id);
      fastify.sessions.revoked([revoked]);
      if (revoked === request.sessionId) await fastify.sessions.end(request, reply);
      return reply.status(204).send(null);
    },
  );

  fastify.post(
    '/api/v1/me/password',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Change your password; every other session is revoked',
        body: PasswordChangeBody,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const revoked = await accounts.changePassword(
        user.id,
        request.sessionId,
        request.body.currentPassword,
        request.body.newPassword,
      );
      fastify.sessions.revoked(revoked);
      return reply.status(204).send(null);
    },
  );

  fastify.get(
    '/api/v1/me/email',
    {
      schema: {
        tags: ['accounts'],
        summary: "Your account's email, and the new one waiting for confirmation",
        response: { 200: AccountEmail, 401: ErrorBody },
      },
    },
    async (request) => accounts.emailOf(requireUser(request).id),
  );

  fastify.post(
    '/api/v1/me/email',
    {
      config: { rateLimit: { max: fastify.config.emailChangesPerHour, timeWindow: HOUR } },
      schema: {
        tags: ['accounts'],
        summary: 'Ask to change your email (needs your password); the new address must confirm',
        description:
          `202: nothing changes yet. A single-use link (valid ${EMAIL_CHANGE_HOURS} hours) goes to the new address, ` +
          'and the current address is told. Until the link is used (POST /api/v1/auth/email-confirm) the account ' +
          'keeps its address, for sign-in too. A newer request replaces an older one; changing the password ' +
          'cancels it. 409 when the address belongs to an account; 422 for a wrong password or the same address.',
        body: EmailChangeBody,
        response: { 202: EmailChangePending, ...errors },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const change = await accounts.requestEmailChange(user.id, request.body.email, request.body.currentPassword);
      const lang = langOf(change.locale);
      const origin = fastify.config.publicOrigin;
      const link = pageLink(origin, lang, `/confirm-email/${change.token}`);
      await fastify.mailer.send({
        to: change.newEmail,
        ...confirmAddressEmail(lang, change.displayName, link, EMAIL_CHANGE_HOURS),
      });
      await fastify.mailer.send({
        to: change.oldEmail,
        ...changeRequestedEmail(lang, change.displayName, change.newEmail, pageLink(origin, lang, '/reset')),
      });
      return reply.status(202).send({ pendingEmail: change.newEmail });
    },
  );

  fastify.post(
    '/api/v1/auth/email-confirm',
    {
      config: { rateLimit: { max: fastify.config.tokenChecksPerHour, timeWindow: HOUR } },
      schema: {
        tags: ['accounts'],
        summary: 'Confirm a new email address with the emailed link (no sign-in needed)',
        description:
          'Single use. The account takes the new address; every reset link and unsubscribe link sent before dies, ' +
          'and the old address is told. 422 (field `token`) for a used, expired or unknown link; 409 (field ' +
          '`email`) when another account took the address meanwhile.',
        body: EmailConfirmBody,
        response: { 200: EmailConfirmed, ...errors },
      },
    },
    async (request) => {
      const done = await accounts.confirmEmailChange(request.body.token);
      fastify.sessions.userChanged(done.userId);
      const lang = langOf(done.locale);
      await fastify.mailer
        .send({
          to: done.oldEmail,
          ...changedEmail(lang, done.displayName, done.newEmail, pageLink(fastify.config.publicOrigin, lang, '/')),
        })
        .catch((error: unknown) => request.log.error({ err: error }, 'could not tell the old address of its change'));
      return { email: done.newEmail };
    },
  );

  // Expired counters and tokens are refused when used; this sweep keeps their tables small.
  const sweep = setInterval(
    () => void accounts.sweep().catch((error: unknown) => fastify.log.warn({ err: error }, 'accounts sweep failed')),
    60 * 60 * 1000,
  );
  sweep.unref();
  fastify.addHook('onClose', async () => clearInterval(sweep));
};

export default accountsRoutes;
