/**
 * People for the journeys: a member signed up through the API in a browser context of their own,
 * their address confirmed, with a name and handle unique to this run (the journeys can run again
 * against the same database).
 */
import { expect, type Browser, type BrowserContext, type BrowserContextOptions } from '@playwright/test';
import { confirmAddress } from './mail.ts';

export const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
export const PASSWORD = 'four unrelated words make good passwords';

export interface Member {
  context: BrowserContext;
  handle: string;
  name: string;
  email: string;
}

/** `first` names them; `tag` tells apart the members of different journeys with the same first name. */
export async function newMember(
  browser: Browser,
  first: string,
  { tag, context: options }: { tag: string; context?: BrowserContextOptions },
): Promise<Member> {
  const context = await browser.newContext({ locale: 'en-GB', ...options });
  const handle = `${first.toLowerCase()}-${tag}-${run}`;
  const name = `${first} ${tag[0]!.toUpperCase()}${tag.slice(1)} ${run}`;
  const email = `${handle}@example.org`;
  const created = await context.request.post('/api/v1/auth/signup', {
    data: { email, password: PASSWORD, displayName: name, handle },
  });
  expect(created.status(), await created.text()).toBe(201);
  await confirmAddress(context.request, email);
  return { context, handle, name, email };
}

/**
 * A spec's way to make members: its own tag (unique among the specs: `run` is shared by the specs
 * a worker runs) and the browser context its members get unless told otherwise.
 */
export function membersOf(tag: string, defaults: BrowserContextOptions = {}) {
  return (browser: Browser, first: string, options: BrowserContextOptions = {}): Promise<Member> =>
    newMember(browser, first, { tag, context: { ...defaults, ...options } });
}

/**
 * The same member in a browser without JavaScript: a new context with their session (cookies and
 * storage), in `locale` (en-GB by default) and any other options given.
 */
export async function withoutScripts(
  browser: Browser,
  member: Pick<Member, 'context'>,
  options: BrowserContextOptions = {},
): Promise<BrowserContext> {
  return browser.newContext({
    locale: 'en-GB',
    ...options,
    javaScriptEnabled: false,
    storageState: await member.context.storageState(),
  });
}
