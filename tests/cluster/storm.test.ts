/**
 * The RSVP storm through nginx, across the three nodes: 1,000 members answer "going" at once for
 * 100 seats (tests/load/storm.ts: every member's keep-alive connection opened first, then all the
 * PUTs together; nginx spreads them over the nodes by least connections). Exactly 100 going, the
 * waitlist 1..900, no error. Then the scheduled jobs the storm enqueued (one confirmation email per
 * member): each was claimed once (attempts = 1) by one node, and each member got exactly one email,
 * written to the outbox of the node that ran the job.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runStorm } from '../load/storm.ts';
import { clusterForFile, eventually, insertMembers } from './kit.ts';

const MEMBERS = 1000;
const CAPACITY = 100;

const { cluster, database } = await clusterForFile();

/** The recipients of the .eml files in a node's outbox. */
function recipients(dataDir: string): string[] {
  const dir = join(dataDir, 'outbox');
  if (!existsSync(dir)) return [];
  const names = readdirSync(dir).filter((name) => name.endsWith('.eml'));
  return names.map((name) => /^To: (\S+)$/m.exec(readFileSync(join(dir, name), 'utf8'))?.[1] ?? `? ${name}`);
}

describe('the RSVP storm through nginx, on three nodes', () => {
  it('seats exactly the capacity, waitlists the rest in order, and sends each confirmation once', async () => {
    const [organiser, ...members] = await insertMembers(database, 'storm', MEMBERS + 1, { organiser: true });
    const result = await runStorm({
      origin: cluster.url,
      organiser: organiser!,
      members,
      capacity: CAPACITY,
      slug: 'cluster-storm',
    });
    console.log(`RSVP storm through nginx: ${JSON.stringify(result)}`);
    expect(result.errors).toBe(0);
    expect(result.going).toBe(CAPACITY);
    expect(result.waitlisted).toBe(MEMBERS - CAPACITY);
    expect(result.positionsContiguous).toBe(true);

    // Each answer enqueued one confirmation email; the nodes run them as they come.
    const jobs = await eventually(
      () =>
        database.kysely
          .selectFrom('jobs')
          .select(['id', 'attempts', 'done_at'])
          .where('kind', '=', 'email.rsvp_confirmed')
          .execute(),
      (rows) => rows.length === MEMBERS && rows.every((r) => r.done_at !== null),
      `the ${MEMBERS} confirmation jobs to be done`,
      { within: 120_000, every: 500 },
    );
    expect(jobs.filter((j) => j.attempts !== 1)).toEqual([]);

    const perNode = cluster.nodes.map((node) => recipients(node.dataDir));
    const all = perNode.flat().filter((to) => to.startsWith('storm-'));
    expect(all.length).toBe(MEMBERS);
    expect(new Set(all).size).toBe(MEMBERS);
    console.log(`confirmation emails per node: ${perNode.map((r) => r.length).join(', ')}`);
  });
});
