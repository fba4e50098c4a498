/** Mails a verification link to a member's address (at sign-up, and again on request). */
import type { FastifyInstance } from 'fastify';
import { pageLink } from '../../../platform/mail-template.ts';
import { verifyAddressEmail } from '../mail.ts';
import { VERIFY_HOURS } from './service.ts';

/** Sends a fresh link; false when the address is verified already (nothing is sent). */
export async function mailVerificationLink(fastify: FastifyInstance, userId: string): Promise<boolean> {
  const link = await fastify.verification.newLink(userId);
  if (!link) return false;
  const url = pageLink(fastify.config.publicOrigin, link.lang, `/verify-email?token=${link.token}`);
  await fastify.mailer.send({ to: link.email, ...verifyAddressEmail(link.lang, link.displayName, url, VERIFY_HOURS) });
  return true;
}
