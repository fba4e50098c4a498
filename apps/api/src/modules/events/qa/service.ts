/**
 * The live layer of an event: Q&A and polls (API.md "Event live layer"). Who may do what:
 * - anyone reads an event's Q&A and polls (hidden questions only its organisers, moderators and
 *   admins see);
 * - its organisers (and admins) open and close Q&A, pin and mark questions answered, launch and
 *   close polls; they, moderators and admins hide questions;
 * - members going (and organisers) ask while Q&A is open; every signed-in member votes.
 * Once the event has ended its Q&A and polls are a read-only record (409 `event_over`).
 * Every change is broadcast to the event's room on every node (`broadcast`, after its commit).
 */
import type { Database } from '@opsi/db/database';
import type { LivePoll, LiveQuestion, NewPoll, Poll, Question, QuestionList, QuestionSort } from '@opsi/contracts/live';
import type { ServerEvents } from '@opsi/contracts/realtime';
import type { Clock } from '../../../platform/clock.ts';
import { AppError, problem } from '../../../platform/errors.ts';
import type { MemberLimits } from '../../limits/service.ts';
import { cancelledError, type EventActor } from '../access.ts';
import type { EventRow } from '../repository.ts';
import type { EventsService } from '../service.ts';
import * as repo from './repository.ts';
import * as pollsRepo from './polls/repository.ts';

export type Broadcast = <E extends keyof ServerEvents>(
  slug: string,
  event: E,
  ...args: Parameters<ServerEvents[E]>
) => void;

type Actor = EventActor | null;

const HIDERS = new Set(['moderator', 'admin']);

function overError(what: string): AppError {
  return new AppError('conflict', `This event has ended: ${what}`, [
    problem('status', 'event_over', 'the event has ended; its Q&A and polls are a record'),
  ]);
}

/** What everyone may see of a question: a hidden one's text stays with those who may see it. */
function publicOf(q: repo.QuestionRow): LiveQuestion {
  return {
    id: q.id,
    eventSlug: q.eventSlug,
    body: q.hidden ? '' : q.body,
    author: q.author,
    votes: q.votes,
    answered: q.answered,
    hidden: q.hidden,
    pinned: q.pinned,
    version: q.version,
    createdAt: q.createdAt,
  };
}

function livePoll(p: pollsRepo.PollRow): LivePoll {
  const { eventId: _eventId, ...poll } = p;
  return poll;
}

export function createLiveService(deps: {
  database: Database;
  events: Pick<EventsService, 'load' | 'canManage'>;
  limits: MemberLimits;
  clock: Clock;
  broadcast: Broadcast;
}) {
  const db = deps.database.kysely;
  const { events, limits, clock, broadcast } = deps;

  const isOver = (e: EventRow) => e.endsAt.getTime() <= clock().getTime();
  const canHide = async (actor: Actor, e: EventRow) =>
    actor !== null && (HIDERS.has(actor.role) || (await events.canManage(actor, e)));

  async function state(actor: Actor, e: EventRow): Promise<QuestionList['qa']> {
    const [open, canManage, hide, going] = await Promise.all([
      repo.isQaOpen(db, e.id),
      events.canManage(actor, e),
      canHide(actor, e),
      actor ? repo.isGoing(db, e.id, actor.id) : false,
    ]);
    const over = isOver(e);
    const canAsk = open && !over && e.status !== 'cancelled' && (going || canManage);
    return { open, over, canAsk, canManage, canHide: hide };
  }

  async function withMyVotes(actor: Actor, rows: repo.QuestionRow[], hide: boolean): Promise<Question[]> {
    const mine = actor
      ? await repo.votedFor(
          db,
          actor.id,
          rows.map((q) => q.id),
        )
      : new Set<string>();
    return rows.map((q) => ({
      ...(hide ? publicOf({ ...q, hidden: false }) : publicOf(q)),
      hidden: q.hidden,
      myVote: mine.has(q.id),
    }));
  }

  /** The question, for someone who may see it (404 otherwise), with its event. */
  async function visibleQuestion(actor: Actor, id: string) {
    const q = await repo.findQuestion(db, id);
    const e = q && (await events.load(q.eventSlug));
    if (!q || !e || (q.hidden && !(await canHide(actor, e)))) {
      throw new AppError('not_found', `No question with id "${id}"`);
    }
    return { q, e };
  }

  function signedIn(actor: Actor, verb: string): asserts actor is EventActor {
    if (!actor) throw new AppError('unauthorized', `Sign in to ${verb}`);
  }

  /** Asking and voting: while Q&A is open and the event not over nor cancelled. */
  async function refuseUnlessOpen(e: EventRow, what: string) {
    if (e.status === 'cancelled') throw cancelledError(what);
    if (isOver(e)) throw overError(what);
    if (!(await repo.isQaOpen(db, e.id))) {
      throw new AppError('conflict', `Q&A is closed for this event: ${what}`, [
        problem('status', 'qa_closed', 'the organisers have not opened Q&A'),
      ]);
    }
  }

  return {
    async questions(actor: Actor, slug: string, sort: QuestionSort): Promise<QuestionList> {
      const e = await events.load(slug);
      const qa = await state(actor, e);
      const rows = await repo.listQuestions(db, e.id, sort, qa.canHide);
      return { items: await withMyVotes(actor, rows, qa.canHide), nextCursor: null, qa };
    },

    async setQa(actor: Actor, slug: string, open: boolean): Promise<QuestionList['qa']> {
      signedIn(actor, 'run this event’s Q&A');
      const e = await events.load(slug);
      if (!(await events.canManage(actor, e))) {
        throw new AppError('forbidden', 'Only this event’s organisers can open or close its Q&A');
      }
      if (open && e.status === 'cancelled') throw cancelledError('Q&A cannot be opened');
      if (open && isOver(e)) throw overError('Q&A cannot be opened again');
      const before = await repo.isQaOpen(db, e.id);
      await repo.setQaOpen(db, e.id, open);
      if (before !== open) broadcast(e.slug, 'qa:changed', { eventSlug: e.slug, open });
      return state(actor, e);
    },

    async ask(actor: Actor, slug: string, text: string): Promise<Question> {
      signedIn(actor, 'ask a question');
      const e = await events.load(slug);
      const body = text.trim();
      if (!body)
        throw new AppError('rule_violation', 'Write a question', [problem('body', 'blank', 'write a question')]);
      const manages = await events.canManage(actor, e);
      if (!manages && !(await repo.isGoing(db, e.id, actor.id))) {
        throw new AppError('forbidden', 'Only members going to this event (and its organisers) can ask questions', [
          problem('status', 'not_going', 'answer “going” to ask'),
        ]);
      }
      await refuseUnlessOpen(e, 'no more questions');
      await limits.take(actor.id, 'question');
      const q = await repo.insertQuestion(db, { eventId: e.id, authorId: actor.id, body });
      broadcast(e.slug, 'question:created', publicOf(q));
      return { ...publicOf(q), myVote: false };
    },

    async vote(actor: Actor, id: string, on: boolean): Promise<Question> {
      signedIn(actor, 'vote');
      const { e } = await visibleQuestion(actor, id);
      await refuseUnlessOpen(e, 'votes are closed');
      await limits.take(actor.id, 'live_vote');
      const { question, changed } = await repo.vote(db, id, actor.id, on);
      if (changed) broadcast(e.slug, 'question:updated', publicOf(question));
      return { ...publicOf(question), myVote: on };
    },

    async mark(actor: Actor, id: string, what: repo.Mark, value: boolean): Promise<Question> {
      signedIn(actor, 'mark questions');
      const { q, e } = await visibleQuestion(actor, id);
      const allowed = what === 'hidden' ? await canHide(actor, e) : await events.canManage(actor, e);
      if (!allowed) {
        throw new AppError(
          'forbidden',
          what === 'hidden'
            ? 'Only this event’s organisers, moderators and admins can hide questions'
            : `Only this event’s organisers can mark questions ${what}`,
        );
      }
      if (what === 'pinned' && value && q.hidden) {
        throw new AppError('rule_violation', 'A hidden question cannot be pinned', [
          problem('value', 'action_not_applicable', 'unhide the question first'),
        ]);
      }
      const changed = await repo.mark(db, q, what, value);
      for (const c of changed) broadcast(e.slug, 'question:updated', publicOf(c));
      const after = changed.find((c) => c.id === id) ?? q;
      const mine = await repo.votedFor(db, actor.id, [id]);
      return { ...publicOf({ ...after, hidden: false }), hidden: after.hidden, myVote: mine.has(id) };
    },

    /** The records of the events about a case (its related events that ended with a Q&A or polls). */
    async recordsOfCase(caseSlug: string) {
      return { items: await repo.recordsOfCase(db, caseSlug, clock()), nextCursor: null };
    },

    async polls(actor: Actor, slug: string) {
      const e = await events.load(slug);
      const rows = await pollsRepo.listPolls(db, e.id);
      const mine = actor
        ? await pollsRepo.choicesOf(
            db,
            actor.id,
            rows.map((p) => p.id),
          )
        : new Map<string, number[]>();
      return {
        items: rows.map((p): Poll => ({ ...livePoll(p), myVote: mine.get(p.id) ?? [] })),
        nextCursor: null,
        canManage: await events.canManage(actor, e),
        canVote: actor !== null && !isOver(e) && e.status !== 'cancelled',
      };
    },

    async createPoll(actor: Actor, slug: string, body: NewPoll): Promise<Poll> {
      signedIn(actor, 'launch a poll');
      const e = await events.load(slug);
      if (!(await events.canManage(actor, e)))
        throw new AppError('forbidden', 'Only this event’s organisers can launch polls');
      if (e.status === 'cancelled') throw cancelledError('no polls');
      if (isOver(e)) throw overError('no new polls');
      const question = body.question.trim();
      const options = body.options.map((o) => o.trim());
      const problems = [
        ...(question ? [] : [problem('question', 'blank', 'write the question')]),
        ...options.flatMap((o, i) => (o ? [] : [problem(`options.${i}`, 'blank', 'write the option')])),
        ...(new Set(options).size === options.length
          ? []
          : [problem('options', 'duplicate', 'the options must differ')]),
      ];
      if (problems.length) throw new AppError('rule_violation', problems.map((p) => p.message).join('; '), problems);
      const p = await pollsRepo.insertPoll(db, {
        eventId: e.id,
        question,
        options,
        multiple: body.multiple,
        createdBy: actor.id,
      });
      broadcast(e.slug, 'poll:created', livePoll(p));
      return { ...livePoll(p), myVote: [] };
    },

    async votePoll(actor: Actor, id: string, chosen: number[]): Promise<Poll> {
      signedIn(actor, 'vote');
      const found = await pollsRepo.findPoll(db, id);
      if (!found) throw new AppError('not_found', `No poll with id "${id}"`);
      const e = await events.load(found.eventSlug);
      if (isOver(e)) throw overError('the poll is a record');
      const options = [...new Set(chosen)].sort((a, b) => a - b);
      const unknown = options.filter((i) => i >= found.options.length);
      if (unknown.length) {
        throw new AppError(
          'rule_violation',
          `This poll has ${found.options.length} options (0 to ${found.options.length - 1})`,
          [problem('options', 'unknown_option', 'no such option', { max: found.options.length - 1 })],
        );
      }
      if (!found.multiple && options.length !== 1) {
        throw new AppError('rule_violation', 'This poll takes exactly one option', [
          problem('options', options.length ? 'too_many' : 'too_few', 'choose exactly one option', { limit: 1 }),
        ]);
      }
      if (options.length === 0) {
        throw new AppError('rule_violation', 'Choose at least one option', [
          problem('options', 'too_few', 'choose at least one option', { limit: 1 }),
        ]);
      }
      await limits.take(actor.id, 'live_vote');
      const outcome = await pollsRepo.votePoll(db, id, actor.id, options);
      if (outcome.kind === 'gone') throw new AppError('not_found', `No poll with id "${id}"`);
      if (outcome.kind === 'closed') {
        throw new AppError('conflict', 'This poll is closed', [problem('status', 'poll_closed', 'the poll is closed')]);
      }
      if (outcome.changed) broadcast(e.slug, 'poll:updated', livePoll(outcome.poll));
      return { ...livePoll(outcome.poll), myVote: options };
    },

    async closePoll(actor: Actor, id: string): Promise<Poll> {
      signedIn(actor, 'close a poll');
      const found = await pollsRepo.findPoll(db, id);
      if (!found) throw new AppError('not_found', `No poll with id "${id}"`);
      const e = await events.load(found.eventSlug);
      if (!(await events.canManage(actor, e)))
        throw new AppError('forbidden', 'Only this event’s organisers can close its polls');
      const closed = await pollsRepo.closePoll(db, id, clock());
      const p = (await pollsRepo.findPoll(db, id))!;
      if (closed) broadcast(e.slug, 'poll:closed', livePoll(p));
      const mine = await pollsRepo.choicesOf(db, actor.id, [id]);
      return { ...livePoll(p), myVote: mine.get(id) ?? [] };
    },
  };
}

export type LiveService = ReturnType<typeof createLiveService>;
