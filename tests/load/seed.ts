/**
 * Bench data written through the public API, as members would: cases (by an organiser) and a
 * thread of posts, replies, mentions and reactions. Post bodies are the demo threads' texts.
 */
import { discussions } from '../../db/seed/discussions.ts';

export interface Member {
  handle: string;
  displayName: string;
  role: string;
  cookie: string;
}

/** Headers of a same-origin browser request from a signed-in member (passes the CSRF check). */
export function memberHeaders(member: Member): Record<string, string> {
  return { 'content-type': 'application/json', cookie: member.cookie, 'sec-fetch-site': 'same-origin' };
}

/** A request through the API as `member` (anonymous without one); throws unless it succeeds. */
export async function call(origin: string, method: string, path: string, member?: Member, body?: unknown) {
  const headers: Record<string, string> = member ? memberHeaders(member) : { 'content-type': 'application/json' };
  if (body === undefined) delete headers['content-type'];
  const response = await fetch(`${origin}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
}

export async function createCase(origin: string, organiser: Member, slug: string, title: string): Promise<void> {
  await call(origin, 'POST', '/api/v1/cases', organiser, {
    slug,
    title,
    summary: 'A case created by the benchmark to hold a discussion thread.',
    // Heard Island: no seeded case is there.
    countries: ['HM'],
    themes: ['digital-government'],
    year: 2026,
    organisation: 'Benchmark organisation',
    levelOfGovernment: 'national',
    stage: 'pilot',
  });
}

export interface SeededThread {
  posts: number;
  replies: number;
  mentions: number;
  reactions: number;
}

/**
 * `count` posts in the case, in turn by each member: every third post (after the first two) is a
 * reply to an earlier top-level post, every fifth mentions another member, and most posts get one
 * to three reactions from other members.
 */
export async function seedThread(
  origin: string,
  slug: string,
  members: Member[],
  count: number,
): Promise<SeededThread> {
  const bodies = Object.values(discussions).flatMap((thread) => thread.map((p) => p.body));
  const topLevel: string[] = [];
  const seeded: SeededThread = { posts: 0, replies: 0, mentions: 0, reactions: 0 };
  for (let i = 0; i < count; i += 1) {
    const author = members[i % members.length]!;
    const other = members[(i + 1) % members.length]!;
    let body = bodies[i % bodies.length]!;
    if (i % 5 === 4) {
      body = `@${other.handle} ${body}`;
      seeded.mentions += 1;
    }
    const parentId = i >= 2 && i % 3 === 2 ? topLevel[(i * 7) % topLevel.length] : undefined;
    const post = await call(origin, 'POST', `/api/v1/cases/${slug}/posts`, author, {
      body,
      clientId: `bench-seed-${i}`,
      ...(parentId ? { parentId } : {}),
    });
    seeded.posts += 1;
    if (parentId) seeded.replies += 1;
    else topLevel.push(String(post.id));
    const kinds = ['like', 'insightful', 'support'] as const;
    for (let r = 0; r < i % 4; r += 1) {
      const reactor = members[(i + 1 + r) % members.length]!;
      if (reactor === author) continue;
      await call(origin, 'PUT', `/api/v1/posts/${String(post.id)}/reactions/${kinds[(i + r) % 3]}`, reactor);
      seeded.reactions += 1;
    }
  }
  return seeded;
}
