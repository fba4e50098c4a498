import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  EmailChangeBody,
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
import { createProfilesService } from '../profiles/service.ts';
import { createAccountsService } from './service.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 409: ErrorBody, 422: ErrorBody, 429: ErrorBody };
const HOUR = 60 * 60 * 1000;

function resetEmail(lang: 'en' | 'fr', name: string, link: string) {
  return lang === 'fr'
    ? {
        subject: 'Réinitialiser votre mot de passe',
        text: `Bonjour ${name},\n\nPour choisir un nouveau mot de passe, ouvrez ce lien dans l’heure :\n${link}\n\nLe lien ne sert qu’une fois. Si vous n’avez rien demandé, ignorez ce message : votre mot de passe ne change pas.\n`,
      }
    : {
        subject: 'Reset your password',
        text: `Hello ${name},\n\nTo choose a new password, open this link within the hour:\n${link}\n\nThe link works once. If you did not ask for this, ignore this message: your password stays the same.\n`,
      };
}

const accountsRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const accounts = createAccountsService(fastify.database);
  const profiles = createProfilesService(fastify.database);

  fastify.post(
    '/api/v1/auth/signup',
    {
      config: { rateLimit: { max: fastify.config.signupsPerHour, timeWindow: HOUR } },
      schema: {
        tags: ['accounts'],
        summary: 'Create an account and sign in',
        body: SignupBody,
        response: { 201: UserEnvelope, ...errors },
      },
    },
    async (request, reply) => {
      const user = await accounts.signup(request.body);
      await fastify.sessions.start(request, reply, user.id);
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
      config: { rateLimit: { max: 5, timeWindow: HOUR } },
      schema: {
        tags: ['accounts'],
        summary: 'Email a single-use reset link (valid one hour)',
        description: 'Always 202, whether or not the email has an account.',
        body: Type.Object({ ...ResetRequestBody.properties, lang: Type.Optional(Type.Enum(['en', 'fr'])) }),
        response: { 202: Type.Object({ status: Type.Literal('sent_if_known') }), ...errors },
      },
    },
    async (request, reply) => {
      const reset = await accounts.requestReset(request.body.email);
      if (reset) {
        const lang = request.body.lang ?? 'en';
        const link = `${fastify.config.publicOrigin}${lang === 'fr' ? '/fr' : ''}/reset/${reset.token}`;
        await fastify.mailer.send({ to: reset.email, ...resetEmail(lang, reset.displayName, link) });
      }
      return reply.status(202).send({ status: 'sent_if_known' as const });
    },
  );

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
      config: { rateLimit: { max: 10, timeWindow: HOUR } },
      schema: {
        tags: ['accounts'],
        summary: 'Set a new password with a reset token',
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
      return { user: publicUser, profile: await profiles.getProfileByUserId(user.id), email };
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

  fastify.post(
    '/api/v1/me/email',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Change your email (needs your password)',
        body: EmailChangeBody,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      await accounts.changeEmail(user.id, request.body.email, request.body.currentPassword);
      return reply.status(204).send(null);
    },
  );
};

export default accountsRoutes;
