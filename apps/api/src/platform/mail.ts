/**
 * Outgoing email through nodemailer: SMTP when SMTP_URL is set, otherwise each message is written
 * as an .eml file to DATA_DIR/outbox, so the default run needs no mail server.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** An HTML alternative to `text` (multipart/alternative); the text stays the reference. */
  html?: string;
  headers?: Record<string, string>;
  /** Where replies go (Reply-To), e.g. an event's organiser; the sender stays MAIL_FROM. */
  replyTo?: string;
  /** Files sent with the message (multipart/mixed), e.g. an event's .ics. */
  attachments?: MailAttachment[];
}

export interface MailAttachment {
  filename: string;
  content: string;
  /** With its parameters, e.g. `text/calendar; charset=utf-8; method=PUBLISH`. */
  contentType: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
  /** Where .eml files go when there is no SMTP server; null with SMTP. */
  outboxDir: string | null;
  /** Lets go of the SMTP connections (nothing to do for the .eml outbox). */
  close(): void;
}

export interface MailerOptions {
  from: string;
  /** SMTP server (nodemailer URL); without it, .eml files in `dataDir`/outbox. */
  smtpUrl: string | undefined;
  dataDir: string;
  /** Told of each message written to the outbox, so a developer can find it. */
  written?: (message: MailMessage, file: string) => void;
}

export function createMailer({ from, smtpUrl, dataDir, written }: MailerOptions): Mailer {
  if (smtpUrl) {
    const transport = nodemailer.createTransport(smtpUrl);
    return {
      outboxDir: null,
      async send(message) {
        await transport.sendMail({ from, ...message });
      },
      close: () => transport.close(),
    };
  }
  const dir = join(dataDir, 'outbox');
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    outboxDir: dir,
    async send(message) {
      const info = await transport.sendMail({ from, ...message });
      await mkdir(dir, { recursive: true });
      const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${crypto.randomUUID()}.eml`;
      await writeFile(join(dir, name), info.message as Buffer);
      written?.(message, name);
    },
    close: () => undefined,
  };
}
