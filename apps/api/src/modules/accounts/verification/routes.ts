import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorBody } from '@opsi/contracts/common';
import { EmailVerified, VerificationSent, VerifyEmailBody } from '@opsi/contracts/member-tools';
import { requireUser } from '../../../plugins/session.ts';
import { mailVerificationLink } from './send.ts';
import { VERIFY_HOURS } from './service.ts';

const HOUR = 60 * 60 * 1000;
const errors = { 400: ErrorBody, 401: ErrorBody, 422: ErrorBody, 429: ErrorBody };

const verificationRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { verification } = fastify;

  fastify.post(
    '/api/v1/auth/verify-email',
    {
      config: { rateLimit: { max: fastify.config.tokenChecksPerHour, timeWindow: HOUR } },
      schema: {
        tags: ['accounts'],
        summary: "Confirm an account's address with the emailed link (no sign-in needed)",
        description:
          `Single use, valid ${VERIFY_HOURS} hours, only for the address it was sent to. Until an address is ` +
          'confirmed, no notification email and no digest is mailed to it. 422 (field `token`) for a used, expired ' +
          'or unknown link.',
        body: VerifyEmailBody,
        response: { 200: EmailVerified, ...errors },
      },
    },
    async (request) => {
      const { email } = await verification.verify(request.body.token);
      return { email, verified: true as const };
    },
  );

  fastify.post(
    '/api/v1/me/email/verification',
    {
      config: { rateLimit: { max: fastify.config.verificationsPerHour, timeWindow: HOUR } },
      schema: {
        tags: ['accounts'],
        summary: 'Send the verification link again (earlier links stop working)',
        description: '202 `sent`; 200 `already_verified` (nothing is sent). Limited by VERIFICATIONS_PER_HOUR.',
        response: { 200: VerificationSent, 202: VerificationSent, ...errors },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const sent = await mailVerificationLink(fastify, user.id);
      return sent ? reply.status(202).send({ status: 'sent' as const }) : { status: 'already_verified' as const };
    },
  );

  const sweep = setInterval(
    () =>
      void verification
        .sweep()
        .catch((error: unknown) => fastify.log.warn({ err: error }, 'verification sweep failed')),
    60 * 60 * 1000,
  );
  sweep.unref();
  fastify.addHook('onClose', async () => clearInterval(sweep));
};

export default verificationRoutes;
