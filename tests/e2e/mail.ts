/** The emails the e2e server writes to DATA_DIR/outbox (see playwright.config.ts and server.ts). */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { APIRequestContext } from '@playwright/test';

/** Where the e2e server writes emails (DATA_DIR/outbox, see playwright.config.ts and server.ts). */
function outboxDir(): string {
  const dataDir = process.env.E2E_DATA_DIR;
  if (!dataDir) throw new Error('E2E_DATA_DIR is not set: run the journeys with tests/e2e/playwright.config.ts');
  return join(dataDir, 'outbox');
}

/** The body of an .eml file, its quoted-printable encoding undone. */
function decodeQuotedPrintable(text: string): string {
  const joined = text.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    const hex = joined.slice(i + 1, i + 3);
    if (joined[i] === '=' && /^[0-9A-F]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(joined[i] ?? ''));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** The newest email to `address`, waiting for it to be written. */
export async function newestEmailTo(address: string): Promise<string> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const names = await readdir(outboxDir()).catch(() => [] as string[]);
    // File names start with an ISO timestamp, so the newest sorts last.
    for (const name of names
      .filter((n) => n.endsWith('.eml'))
      .sort()
      .reverse()) {
      const text = decodeQuotedPrintable(await readFile(join(outboxDir(), name), 'utf8'));
      if (new RegExp(`^To: .*${address.replace(/[.+]/g, '\\$&')}`, 'im').test(text)) return text;
    }
    if (Date.now() > deadline) throw new Error(`No email to ${address} in ${outboxDir()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * Confirms a new member's address with the link of the verification email sign-up sent (as the
 * member would, through the API call the /verify-email page makes): notifications and digests are
 * mailed only to confirmed addresses.
 */
export async function confirmAddress(request: APIRequestContext, address: string): Promise<void> {
  const token = /\/verify-email\?token=([^\s"<>&]+)/.exec(await newestEmailTo(address))?.[1];
  if (!token) throw new Error(`No verification link in the newest email to ${address}`);
  const confirmed = await request.post('/api/v1/auth/verify-email', { data: { token } });
  if (confirmed.status() !== 200) throw new Error(`Confirming ${address} answered ${confirmed.status()}`);
}
