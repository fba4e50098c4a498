/**
 * Outgoing email through nodemailer: SMTP when SMTP_URL is set, otherwise each message is written
 * as an .eml file to DATA_DIR/outbox, so the default run needs no mail server.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import nodemailer from 'nodemailer';
import type { Config } from '../config.ts';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** An HTML alternative to `text` (multipart/alternative); the text stays the reference. */
  html?: string;
  headers?: Record<string, string>;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
  /** Where .eml files go when there is no SMTP server; null with SMTP. */
  outboxDir: string | null;
}

declare module 'fastify' {
  interface FastifyInstance {
    mailer: Mailer;
  }
}

async function mailPlugin(fastify: FastifyInstance, { config }: { config: Config }) {
  const from = config.mailFrom;
  let mailer: Mailer;
  if (config.smtpUrl) {
    const transport = nodemailer.createTransport(config.smtpUrl);
    mailer = {
      outboxDir: null,
      async send(message) {
        await transport.sendMail({ from, ...message });
      },
    };
    fastify.addHook('onClose', async () => transport.close());
  } else {
    const dir = join(config.dataDir, 'outbox');
    const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
    mailer = {
      outboxDir: dir,
      async send(message) {
        const info = await transport.sendMail({ from, ...message });
        await mkdir(dir, { recursive: true });
        const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${crypto.randomUUID()}.eml`;
        await writeFile(join(dir, name), info.message as Buffer);
        fastify.log.info({ to: message.to, subject: message.subject, file: name }, 'email written to the outbox');
      },
    };
  }
  fastify.decorate('mailer', mailer);
}

export default fp(mailPlugin, { name: 'mail' });
