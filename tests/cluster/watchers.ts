/**
 * Members watching a case thread as the web app does (apps/web/src/lib/thread-live.ts): Socket.IO
 * over the websocket transport with Socket.IO's own reconnection (its default delays), on every
 * connection `case:watch`, then a catch-up from the newest post seen before joining
 * (GET posts?after=<id>, page by page), and the same catch-up when a live post's `previousId` (the
 * thread's post before it) is newer than the newest it holds: one was missed (each such gap is
 * kept). Each watcher keeps what it heard live (per post id, how
 * many times) and the thread it holds (live and caught up, by id), and times each outage: from the
 * disconnect to the next connect, and to the end of that connection's catch-up.
 */
import { io, type Socket } from 'socket.io-client';
import { call, type Member } from './kit.ts';

export interface Outage {
  downAt: number;
  connectedAt?: number;
  /** When the `case:watch` of the next connection was acknowledged. */
  watchedAt?: number;
  caughtUpAt?: number;
  /** The catch-up's pages: when each was asked for, after which id, and the ids it gave. */
  catchUp?: CatchUpPage[];
}

export interface Watcher {
  member: Member;
  socket: Socket;
  /** Post id → how many times `post:created` brought it. */
  live: Map<string, number>;
  /** Post id → when `post:created` first brought it. */
  heardAt: Map<string, number>;
  /** Every post id the watcher holds (live or from a catch-up). */
  thread: Set<string>;
  outages: Outage[];
  /** `case:watch` acknowledgements that were errors or never came. */
  watchFailures: string[];
  /** Catch-up requests that failed (the watcher tries again on its next connection only). */
  catchUpFailures: string[];
  /** Live posts whose previous post was newer than the newest held (a post missed live), and the catch-up that followed. */
  gaps: { at: number; post: string; previousId: string; duringCatchUp: boolean; pages: CatchUpPage[] }[];
}

/** One page of a catch-up: when it was asked for, after which id, and the ids it gave. */
export interface CatchUpPage {
  at: number;
  after: string;
  ids: string[];
}

interface PostPage {
  items: { id: string }[];
  nextCursor: string | null;
}

/** The largest post id held (ids are decimal strings of one sequence). */
function newest(thread: Set<string>): string {
  let best = 0n;
  for (const id of thread) if (BigInt(id) > best) best = BigInt(id);
  return String(best);
}

async function catchUp(origin: string, slug: string, w: Watcher, from: string, pages: CatchUpPage[]): Promise<boolean> {
  let after = from;
  for (let n = 0; n < 50; n += 1) {
    const at = performance.now();
    const page = await call<PostPage>(origin, 'GET', `/api/v1/cases/${slug}/posts?after=${after}&limit=100`, w.member);
    pages.push({ at, after, ids: page.status === 200 ? page.body.items.map((p) => p.id) : [] });
    if (page.status !== 200) {
      w.catchUpFailures.push(`${page.status} ${JSON.stringify(page.body).slice(0, 200)}`);
      return false;
    }
    for (const post of page.body.items) w.thread.add(post.id);
    if (!page.body.nextCursor) return true;
    after = page.body.nextCursor;
  }
  return true;
}

/** A connected watcher of `slug` at `origin` (its first `case:watch` acknowledged). */
export async function startWatcher(origin: string, slug: string, member: Member): Promise<Watcher> {
  const socket = io(origin, {
    transports: ['websocket'],
    forceNew: true,
    // Names the watcher in nginx's access log, which says which node each connection went to.
    query: { watcher: member.handle },
    extraHeaders: { cookie: member.cookie },
  });
  const w: Watcher = {
    member,
    socket,
    live: new Map(),
    heardAt: new Map(),
    thread: new Set(),
    outages: [],
    watchFailures: [],
    catchUpFailures: [],
    gaps: [],
  };
  /** Reconnection catch-ups under way. */
  let catchingUp = 0;
  socket.on('post:created', (post: { id: string; caseSlug: string; previousId: string | null }) => {
    if (post.caseSlug !== slug) return;
    const held = newest(w.thread);
    w.live.set(post.id, (w.live.get(post.id) ?? 0) + 1);
    if (!w.heardAt.has(post.id)) w.heardAt.set(post.id, performance.now());
    w.thread.add(post.id);
    if (typeof post.previousId === 'string' && BigInt(post.previousId) > BigInt(held)) {
      // During a reconnection's catch-up, a live post ahead of it is no sign of a lost one.
      const duringCatchUp = catchingUp > 0;
      const gap = { at: performance.now(), post: post.id, previousId: post.previousId, duringCatchUp, pages: [] };
      w.gaps.push(gap);
      void catchUp(origin, slug, w, held, gap.pages);
    }
  });
  socket.on('disconnect', () => w.outages.push({ downAt: performance.now() }));
  let first: ((error?: Error) => void) | undefined;
  const ready = new Promise<void>((resolve, reject) => {
    first = (error) => (error ? reject(error) : resolve());
  });
  socket.on('connect', () => {
    const outage = w.outages.at(-1);
    if (outage && outage.connectedAt === undefined) outage.connectedAt = performance.now();
    // The catch-up starts from the newest post held before joining (live posts may arrive first).
    const from = newest(w.thread);
    // From here until the catch-up ends, live posts may come ahead of it.
    if (outage) catchingUp += 1;
    socket.timeout(10_000).emit('case:watch', { slug }, (error: Error | null, ack: { ok: boolean } | undefined) => {
      if (error || !ack?.ok) w.watchFailures.push(error ? error.message : JSON.stringify(ack));
      if (!outage) {
        first?.(error || !ack?.ok ? new Error(`case:watch: ${error?.message ?? JSON.stringify(ack)}`) : undefined);
        return;
      }
      outage.watchedAt ??= performance.now();
      void catchUp(origin, slug, w, from, (outage.catchUp ??= [])).then((done) => {
        catchingUp -= 1;
        if (done && outage.caughtUpAt === undefined) outage.caughtUpAt = performance.now();
      });
    });
  });
  socket.once('connect_error', (error) => first?.(error));
  await ready;
  return w;
}

/** Starts watchers for `members`, at most `concurrency` handshakes at a time. */
export async function startWatchers(
  origin: string,
  slug: string,
  members: Member[],
  concurrency = 25,
): Promise<Watcher[]> {
  const watchers = new Array<Watcher>(members.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < members.length) {
        const i = next;
        next += 1;
        watchers[i] = await startWatcher(origin, slug, members[i]!);
      }
    }),
  );
  return watchers;
}

export function closeWatchers(watchers: Watcher[]): void {
  for (const w of watchers) w.socket.disconnect();
}

/** For a failed wait: each watcher missing posts, which ones, what it heard live and its outages. */
export function missingReport(watchers: Watcher[], ids: Set<string>): string {
  const at = (t: number | undefined) => (t === undefined ? '-' : new Date(performance.timeOrigin + t).toISOString());
  return watchers
    .map((w) => ({ w, gone: [...ids].filter((id) => !w.thread.has(id)) }))
    .filter(({ gone }) => gone.length > 0)
    .map(({ w, gone }) => {
      const pages = (o: Outage) =>
        (o.catchUp ?? [])
          .map(
            (p) =>
              `${at(p.at)} after ${p.after}: ${p.ids.length ? `${p.ids[0]}…${p.ids.at(-1)} (${p.ids.length})` : 'none'}`,
          )
          .join('; ');
      const outages = w.outages.map(
        (o) =>
          `down ${at(o.downAt)}, connected ${at(o.connectedAt)}, watched ${at(o.watchedAt)}, caught up ${at(o.caughtUpAt)} [${pages(o)}]`,
      );
      // Around the first missing post: the nearest ids held below and above it, and how each came.
      const held = [...w.thread].map(BigInt).sort((a, b) => (a < b ? -1 : 1));
      const gap = BigInt(gone[0]!);
      const how = (id: bigint | undefined) =>
        id === undefined
          ? '-'
          : `${id} ${w.heardAt.has(String(id)) ? `live ${at(w.heardAt.get(String(id)))}` : 'caught up'}`;
      const around = `around ${gap}: ${how(held.findLast((id) => id < gap))}, ${how(held.find((id) => id > gap))}`;
      return (
        `${w.member.handle}: missing ${gone.length} (${gone.slice(0, 10).join(', ')}); ${around}; holds ${w.thread.size}, ` +
        `heard ${w.live.size} live, connected ${w.socket.connected}; watch failures ${JSON.stringify(w.watchFailures)}, ` +
        `catch-up failures ${JSON.stringify(w.catchUpFailures)}; gaps: ${w.gaps.map((g) => `${g.previousId} before ${g.post}`).join(', ') || 'none'}; ` +
        `outages: ${outages.join(' | ') || 'none'}`
      );
    })
    .join('\n');
}
