/**
 * The emails of an accepted introduction, one job per member (enqueued with the acceptance): to
 * each, the other's name, work and address and what they share, in the reader's language. Each
 * email is claimed on the introduction before it is handed to the mail server (a job run again
 * sends nothing twice) and given back when the server refuses it. Only to a confirmed address.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { languageOf } from '@opsi/contracts/notification-text';
import { reasonSentence } from '@opsi/contracts/introductions';
import { pageLink } from '../../platform/mail-template.ts';
import { introductionLetter } from './mail.ts';
import * as repo from './repository.ts';

async function introductionJobsPlugin(fastify: FastifyInstance) {
  const db = fastify.database.kysely;
  const origin = fastify.config.publicOrigin;

  fastify.jobs.register('email.introduction', async (job) => {
    const { introductionId, userId } = job.payload;
    const intro = await repo.findById(db, introductionId);
    if (!intro || intro.status !== 'accepted') return;
    const otherId = intro.requesterId === userId ? intro.recipientId : intro.requesterId;
    const [reader, other] = await Promise.all([repo.reader(db, userId), repo.reader(db, otherId)]);
    // An address not confirmed gets no email, and is not given to the other either.
    if (!reader || !other) return;
    const language = languageOf(reader.locale);
    const french = language === 'fr';
    const side = intro.requesterId === userId ? 'requester' : 'recipient';
    const [common, countries] = await Promise.all([
      fastify.introductions.common(userId, otherId, french),
      repo.countryNames(db, other.countryCode ? [other.countryCode] : [], french),
    ]);
    const letter = introductionLetter({
      language,
      readerName: reader.displayName,
      other: {
        displayName: other.displayName,
        email: other.email,
        headline: other.headline,
        organisation: other.organisation,
        country: other.countryCode ? (countries.get(other.countryCode) ?? other.countryCode) : '',
        profile: pageLink(origin, language, `/people/${other.handle}`),
      },
      common: common.map((r) => reasonSentence(language, r)),
      message: intro.message,
      readerAsked: side === 'requester',
    });
    if (!(await repo.claimEmail(db, introductionId, side))) return;
    try {
      await fastify.mailer.send({ to: reader.email, replyTo: other.email, ...letter });
    } catch (error) {
      await repo.releaseEmail(db, introductionId, side);
      throw error;
    }
  });
}

export default fp(introductionJobsPlugin, {
  name: 'introduction-jobs',
  dependencies: ['jobs', 'mail', 'database', 'introductions-service'],
});
