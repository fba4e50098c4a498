/**
 * Introductions between members in different countries: the matches (matches/repository.ts) with
 * their reasons in words, and the requests. Only a member who opted in (`openToIntroductions`)
 * sees matches or asks, and only members who opted in are offered or asked: as on the networking
 * platforms that do this well (Lunchclub, Grip and Brella at conferences), being introduced is
 * mutual, so those who ask are also findable. Blocks apply both ways; deleted and suspended
 * members are never offered. A member may have `pendingMax` requests waiting at once; a pair of
 * members has one introduction, so a declined request cannot be asked again (409), by either.
 * The limit is counted under the asker's row lock (repository.ts `lockAsker`): it holds under any
 * concurrency.
 * Writes go with their activity in one transaction (the notifications come from it); accepting
 * also enqueues the two emails (jobs.ts sends them).
 */
import type {
  Introduction,
  IntroductionBody,
  IntroductionList,
  IntroductionQuery,
  Match,
  MatchList,
  MatchReason,
} from '@opsi/contracts/introductions';
import type { Database } from '@opsi/db/database';
import { AppError, problem } from '../../platform/errors.ts';
import type { Clock } from '../../platform/clock.ts';
import { insertActivity, writerTransaction } from '../../platform/outbox/repository.ts';
import { enqueueJobs } from '../../platform/jobs/repository.ts';
import { shortenText } from '../../platform/markdown.ts';
import * as matches from './matches/repository.ts';
import * as repo from './repository.ts';

export interface Asker {
  id: string;
  handle: string;
}

export interface IntroductionOptions {
  /** Requests one member may have waiting for an answer (INTRODUCTIONS_PENDING_MAX); null: no limit. */
  pendingMax: number | null;
}

const refused = (
  field: string,
  code: Parameters<typeof problem>[1],
  message: string,
  status: 'rule_violation' | 'forbidden' | 'conflict' = 'rule_violation',
) => new AppError(status, message, [problem(field, code, message)]);

/** The reasons of a match in words, from its hits, in the reader's language. */
async function reasonsOf(db: Database['kysely'], rows: matches.MatchRow[], french: boolean): Promise<MatchReason[][]> {
  const keys = {
    themes: new Set<string>(),
    cases: new Set<string>(),
    threads: new Set<string>(),
    events: new Set<string>(),
  };
  const split = (hit: string) => {
    const at = hit.indexOf(':');
    return [hit.slice(0, at), hit.slice(at + 1)] as const;
  };
  for (const row of rows) {
    for (const hit of row.hits) {
      const [kind, key] = split(hit);
      if (kind === 'theme') keys.themes.add(key);
      else if (kind === 'case') keys.cases.add(key);
      else if (kind === 'thread') keys.threads.add(key);
      else if (kind === 'event') keys.events.add(key);
    }
  }
  const labels = await matches.hitLabels(db, {
    themes: [...keys.themes],
    cases: [...keys.cases],
    threads: [...keys.threads],
    events: [...keys.events],
    french,
  });
  return rows.map((row) => {
    const reasons: MatchReason[] = [];
    const discussed = new Set<string>();
    for (const hit of row.hits) {
      const [kind, key] = split(hit);
      if (kind === 'theme') reasons.push({ kind: 'theme', label: labels.themes.get(key) ?? key });
      else if (kind === 'thread') {
        const label = labels.threads.get(key);
        if (label && !discussed.has(label)) {
          discussed.add(label);
          reasons.push({ kind: 'case', label, via: 'discussion' });
        }
      } else if (kind === 'case') {
        const label = labels.cases.get(key);
        if (label) reasons.push({ kind: 'case', label, via: 'follow' });
      } else if (kind === 'event') {
        const label = labels.events.get(key);
        if (label) reasons.push({ kind: 'event', label });
      }
    }
    if (row.terms.length) reasons.push({ kind: 'text', label: row.terms.slice(0, 6).join(', ') });
    // The most telling first: discussions and events, then cases, then themes, then words.
    const order = (r: MatchReason) =>
      r.kind === 'case' && r.via === 'discussion'
        ? 0
        : r.kind === 'event'
          ? 1
          : r.kind === 'case'
            ? 2
            : r.kind === 'theme'
              ? 3
              : 4;
    return reasons.sort((a, b) => order(a) - order(b));
  });
}

function toPerson(m: {
  handle: string;
  displayName: string;
  countryCode: string | null;
  headline: string;
  organisation: string;
}) {
  return {
    handle: m.handle,
    displayName: m.displayName,
    countryCode: m.countryCode,
    headline: m.headline,
    organisation: m.organisation,
  };
}

export function createIntroductionsService(database: Database, clock: Clock, options: IntroductionOptions) {
  const db = database.kysely;

  async function self(userId: string): Promise<repo.Member> {
    const me = await repo.findMember(db, { id: userId }, clock());
    if (!me) throw new AppError('not_found', 'No such member');
    return me;
  }

  async function decided(actor: Asker, id: string, status: 'accepted' | 'declined'): Promise<Introduction> {
    const at = clock();
    await writerTransaction(db, async (trx) => {
      const intro = await repo.findById(trx, id, true);
      // Someone else's introduction is not found: it is not theirs to see.
      if (!intro || (intro.recipientId !== actor.id && intro.requesterId !== actor.id)) {
        throw new AppError('not_found', `No introduction "${id}"`);
      }
      if (intro.recipientId !== actor.id) {
        throw refused('id', 'not_allowed', 'Only the member who was asked may accept or decline', 'forbidden');
      }
      if (intro.status !== 'pending') {
        throw refused('id', 'action_not_applicable', `This introduction was already ${intro.status}`, 'conflict');
      }
      if (status === 'accepted' && (await repo.blockedEitherWay(trx, intro.requesterId, intro.recipientId))) {
        throw refused(
          'id',
          'blocked',
          'One of you blocked the other: this introduction cannot be accepted',
          'forbidden',
        );
      }
      await repo.decide(trx, id, status, at);
      if (status === 'accepted') {
        await insertActivity(trx, {
          verb: 'accepted',
          objectType: 'introduction',
          objectId: id,
          actorId: actor.id,
          countries: [],
          themes: [],
          isPublic: false,
          payload: { requesterId: intro.requesterId },
        });
        await enqueueJobs(
          trx,
          [intro.requesterId, intro.recipientId].map((userId) => ({
            kind: 'email.introduction' as const,
            key: `${id}:${userId}`,
            payload: { introductionId: id, userId },
          })),
        );
      }
    });
    const listed = (await repo.listFor(db, actor.id, {})).find((r) => r.id === id);
    if (!listed) throw new AppError('not_found', `No introduction "${id}"`);
    return toIntroduction(actor.id, listed);
  }

  function toIntroduction(viewerId: string, row: repo.ListedRow): Introduction {
    return {
      id: row.id,
      direction: row.requesterId === viewerId ? 'sent' : 'received',
      person: toPerson(row.other),
      message: row.message,
      status: row.status as Introduction['status'],
      createdAt: row.createdAt.toISOString(),
      decidedAt: row.decidedAt ? row.decidedAt.toISOString() : null,
      email: row.status === 'accepted' ? row.otherEmail : null,
    };
  }

  return {
    /** The members closest to the asker's work in other countries, best first, with the reasons. */
    async matches(userId: string, limit: number, french: boolean): Promise<MatchList> {
      const me = await self(userId);
      if (!me.openToIntroductions) return { items: [], openToIntroductions: false, countryCode: me.countryCode };
      const rows = await matches.findMatches(db, { userId, now: clock(), limit });
      const reasons = await reasonsOf(db, rows, french);
      const asked = new Map(
        (await repo.listFor(db, userId, {})).map((r) => [r.other.handle, r.status as Match['introduction']]),
      );
      const items: Match[] = rows.map((row, i) => ({
        person: toPerson(row),
        score: Math.round(row.score * 100) / 100,
        reasons: reasons[i] ?? [],
        introduction: asked.get(row.handle) ?? null,
      }));
      return { items, openToIntroductions: true, countryCode: me.countryCode };
    },

    /** What two members share, in words (the email introducing them). */
    async common(userId: string, otherId: string, french: boolean): Promise<MatchReason[]> {
      const rows = await matches.findMatches(db, { userId, now: clock(), limit: 1, only: otherId });
      return (await reasonsOf(db, rows, french))[0] ?? [];
    },

    async ask(actor: Asker, body: IntroductionBody): Promise<Introduction> {
      const message = body.message.trim();
      if (!message) throw refused('message', 'blank', 'message must not be blank');
      const me = await self(actor.id);
      if (!me.openToIntroductions) {
        throw refused(
          'openToIntroductions',
          'not_open_to_introductions',
          'Turn on “open to introductions” in your profile to ask for one',
        );
      }
      const other = await repo.findMember(db, { handle: body.handle }, clock());
      if (!other || other.gone) throw new AppError('not_found', `No member "${body.handle}"`);
      if (other.id === actor.id)
        throw refused('handle', 'cannot_introduce_self', 'You cannot ask to be introduced to yourself');
      if (await repo.blockedEitherWay(db, actor.id, other.id)) {
        throw refused('handle', 'blocked', 'One of you blocked the other: no introduction is possible', 'forbidden');
      }
      if (!other.openToIntroductions) {
        throw refused('handle', 'not_open_to_introductions', `${other.displayName} is not open to introductions`);
      }
      const at = clock();
      const created = await writerTransaction(db, async (trx) => {
        // The asker's requests one at a time: the pending count below cannot go stale before the insert.
        await repo.lockAsker(trx, actor.id);
        const before = await repo.findBetween(trx, actor.id, other.id);
        if (before) throw conflictOf(before, actor.id);
        if (options.pendingMax !== null && (await repo.countPendingSent(trx, actor.id)) >= options.pendingMax) {
          const text = `You have ${options.pendingMax} requests waiting for an answer: wait for one before asking again`;
          throw new AppError('rule_violation', text, [
            {
              field: 'handle',
              code: 'limit_reached',
              message: text,
              params: { limit: 'pending_introductions', max: options.pendingMax },
            },
          ]);
        }
        const row = await repo.insertIntroduction(trx, { requesterId: actor.id, recipientId: other.id, message, at });
        // Asked by the other at the same moment: the pair's index kept one.
        if (!row) throw refused('handle', 'already_asked', 'An introduction between you was already asked', 'conflict');
        await insertActivity(trx, {
          verb: 'requested',
          objectType: 'introduction',
          objectId: row.id,
          actorId: actor.id,
          countries: [],
          themes: [],
          isPublic: false,
          payload: { recipientId: other.id, excerpt: shortenText(message, 280) },
        });
        return row;
      });
      const listed = (await repo.listFor(db, actor.id, { direction: 'sent' })).find((r) => r.id === created.id);
      if (!listed) throw new AppError('not_found', `No member "${body.handle}"`);
      return toIntroduction(actor.id, listed);
    },

    accept: (actor: Asker, id: string) => decided(actor, id, 'accepted'),
    decline: (actor: Asker, id: string) => decided(actor, id, 'declined'),

    async list(actor: Asker, query: IntroductionQuery): Promise<IntroductionList> {
      const rows = await repo.listFor(db, actor.id, { direction: query.direction, status: query.status });
      return {
        items: rows.map((r) => toIntroduction(actor.id, r)),
        pendingSent: await repo.countPendingSent(db, actor.id),
        pendingMax: options.pendingMax,
      };
    },
  };
}

/** Why a pair cannot be asked again: declined stays declined; pending or accepted is already done. */
function conflictOf(before: repo.IntroductionRow, askerId: string): AppError {
  if (before.status === 'declined') {
    return refused(
      'handle',
      'introduction_declined',
      'This introduction was declined: it cannot be asked again',
      'conflict',
    );
  }
  const byThem = before.requesterId !== askerId && before.status === 'pending';
  const message = byThem
    ? 'This member already asked to be introduced to you: answer their request'
    : `An introduction between you was already ${before.status === 'accepted' ? 'accepted' : 'asked'}`;
  return refused('handle', 'already_asked', message, 'conflict');
}

export type IntroductionsService = ReturnType<typeof createIntroductionsService>;
