/**
 * The API test kit, mail: an in-process SMTP server (the `smtp-server` package) that receives the
 * app's real messages, a small MIME reader (enough for nodemailer's text and text + HTML mails,
 * nested in multipart/mixed with attachments),
 * and the mails an app without SMTP_URL wrote to its DATA_DIR/outbox folder.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import { createMailer, type MailMessage } from './platform/mail.ts';

export interface ReceivedMail {
  to: string[];
  headers: Map<string, string>;
  subject: string;
  text: string;
  html: string;
  attachments: MailAttachmentReceived[];
}

export interface MailAttachmentReceived {
  filename: string;
  contentType: string;
  content: string;
}

function headersOf(head: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const at = line.indexOf(':');
    if (at > 0) headers.set(line.slice(0, at).toLowerCase(), line.slice(at + 1).trim());
  }
  return headers;
}

function decodeBody(body: string, encoding: string): string {
  if (/base64/i.test(encoding)) return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (/quoted-printable/i.test(encoding)) {
    const bytes = body
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return body;
}

/** RFC 2047 words (Q or B), adjacent ones joined before decoding UTF-8. */
function decodeWords(value: string): string {
  return value.replace(/(?:=\?utf-8\?[QB]\?[^?]*\?=\s*)+/gi, (run) => {
    const bytes: Buffer[] = [];
    for (const [, enc, data] of run.matchAll(/=\?utf-8\?([QB])\?([^?]*)\?=/gi)) {
      bytes.push(
        enc!.toUpperCase() === 'B'
          ? Buffer.from(data!, 'base64')
          : Buffer.from(
              data!
                .replace(/_/g, ' ')
                .replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16))),
              'latin1',
            ),
      );
    }
    return Buffer.concat(bytes).toString('utf8') + (/\s$/.test(run) && !run.endsWith('?=') ? ' ' : '');
  });
}

/** One MIME entity: its text, HTML and attachments (multipart ones read part by part, nested). */
function readEntity(
  headers: Map<string, string>,
  body: string,
  into: Omit<ReceivedMail, 'to' | 'headers' | 'subject'>,
) {
  const type = headers.get('content-type') ?? 'text/plain';
  const boundary = /multipart\/[^;]+;.*boundary="?([^";]+)"?/is.exec(type)?.[1];
  if (boundary) {
    for (const part of body.split(`--${boundary}`).slice(1)) {
      if (part.startsWith('--')) break;
      const trimmed = part.replace(/^\r?\n/, '');
      const cut = trimmed.search(/\r?\n\r?\n/);
      readEntity(headersOf(trimmed.slice(0, cut)), trimmed.slice(cut).replace(/^\r?\n\r?\n/, ''), into);
    }
    return;
  }
  const content = decodeBody(body, headers.get('content-transfer-encoding') ?? '');
  const disposition = headers.get('content-disposition') ?? '';
  const filename = /filename="?([^";]+)"?/i.exec(disposition)?.[1];
  if (/attachment/i.test(disposition) || filename) {
    into.attachments.push({ filename: filename ?? '', contentType: type, content });
  } else if (/text\/html/i.test(type)) into.html = content;
  else if (/text\/plain/i.test(type)) into.text = content;
}

/** One message as received: headers unfolded, subject and bodies decoded, attachments apart. */
export function parseMail(raw: string, to: string[]): ReceivedMail {
  const split = raw.search(/\r?\n\r?\n/);
  const headers = headersOf(raw.slice(0, split));
  const rest = raw.slice(split).replace(/^\r?\n\r?\n/, '');
  const parts = { text: '', html: '', attachments: [] as MailAttachmentReceived[] };
  readEntity(headers, rest, parts);
  return { to, headers, subject: decodeWords(headers.get('subject') ?? ''), ...parts };
}

/** An SMTP server on a free loopback port; every message it receives is added to `received`. */
export async function startMailCatcher(): Promise<{
  port: number;
  received: ReceivedMail[];
  close: () => Promise<void>;
}> {
  const received: ReceivedMail[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push(
          parseMail(
            Buffer.concat(chunks).toString('utf8'),
            session.envelope.rcptTo.map((r) => r.address),
          ),
        );
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (smtp.server.address() as { port: number }).port,
    received,
    close: () => new Promise<void>((resolve) => smtp.close(() => resolve())),
  };
}

/**
 * A data folder of this test file's own, for DATA_DIR (an app without SMTP_URL writes its mail to
 * its outbox folder), removed after the file's tests.
 */
export function tempDataDir(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `opsi-${name}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * Every mail to `to` that an app without SMTP_URL wrote to `dataDir`/outbox, oldest first, as raw
 * text with quoted-printable soft line breaks undone (a mail is to `to` when it says `To: <to>`, in any case).
 */
export function outboxMails(dataDir: string, to: string): string[] {
  const dir = join(dataDir, 'outbox');
  const files = existsSync(dir) ? readdirSync(dir).sort() : [];
  return files
    .map((f) => readFileSync(join(dir, f), 'utf8').replace(/=\r?\n/g, ''))
    .filter((t) => t.toLowerCase().includes(`to: ${to.toLowerCase()}`));
}

/**
 * A mailer of this test file's own without SMTP (nodemailer writes each message as an .eml file):
 * `send` mails a message to a fresh address and gives it back as mailparser reads that file.
 */
export function outboxSender(name: string) {
  const dataDir = tempDataDir(name);
  const mailer = createMailer({ from: 'network@example.org', smtpUrl: undefined, dataDir });
  return async (message: Omit<MailMessage, 'to'>, headers?: Record<string, string>): Promise<ParsedMail> => {
    const to = `${crypto.randomUUID()}@example.org`;
    await mailer.send({ to, ...message, ...(headers ? { headers } : {}) });
    const dir = join(dataDir, 'outbox');
    for (const file of readdirSync(dir)) {
      const mail = await simpleParser(readFileSync(join(dir, file)));
      if (!Array.isArray(mail.to) && mail.to?.value[0]?.address === to) return mail;
    }
    throw new Error(`no .eml to ${to} in ${dir}`);
  };
}
