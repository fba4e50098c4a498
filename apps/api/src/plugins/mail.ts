/** The mailer (platform/mail.ts) as `fastify.mailer`, configured from SMTP_URL, MAIL_FROM and DATA_DIR. */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config.ts';
import { createMailer, type Mailer } from '../platform/mail.ts';

declare module 'fastify' {
  interface FastifyInstance {
    mailer: Mailer;
  }
}

async function mailPlugin(fastify: FastifyInstance, { config }: { config: Config }) {
  const mailer = createMailer({
    from: config.mailFrom,
    smtpUrl: config.smtpUrl,
    dataDir: config.dataDir,
    written: (message, file) =>
      fastify.log.info({ to: message.to, subject: message.subject, file }, 'email written to the outbox'),
  });
  fastify.addHook('onClose', async () => mailer.close());
  fastify.decorate('mailer', mailer);
}

export default fp(mailPlugin, { name: 'mail' });
