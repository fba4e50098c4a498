/**
 * An event's live layer as one screen knows it: its questions and polls, as the page loaded them
 * and as the event's room has told since. Each item keeps the state with the highest `version`
 * heard (broadcasts may arrive out of order, from any node), so every screen converges on the
 * same order and counts. What is the viewer's own (their votes) comes from the page's loads and
 * their own actions, never from broadcasts.
 */
import { untrack } from 'svelte';
import { SvelteMap } from 'svelte/reactivity';
import { compareQuestions, newer } from '@opsi/contracts/live-order';
import {
  type LivePoll,
  type LiveQuestion,
  type Poll,
  type PollList,
  type QaState,
  type Question,
  type QuestionList,
  type QuestionSort,
} from '@opsi/contracts/live';

type Questions = Pick<QuestionList, 'items' | 'qa'>;
type Polls = Pick<PollList, 'items' | 'canVote' | 'canManage'>;

export class LiveRecord {
  readonly questions = new SvelteMap<string, Question>();
  readonly polls = new SvelteMap<string, Poll>();
  qa = $state<QaState>({ open: false, over: false, canAsk: false, canManage: false, canHide: false });
  canVotePolls = $state(false);
  canManagePolls = $state(false);
  /** How many questions were asked since the page opened (for the polite announcement). */
  asked = $state(0);

  readonly slug: string;

  constructor(slug: string, questions: Questions, polls: Polls) {
    this.slug = slug;
    this.load(questions, polls);
  }

  /** What the page loaded (first, or again after an action or a reconnection): the viewer's truth. */
  load(questions: Questions, polls: Polls): void {
    this.qa = questions.qa;
    this.canVotePolls = polls.canVote;
    this.canManagePolls = polls.canManage;
    // Nothing is dropped here: a question heard while this load was read is newer than the load.
    for (const q of questions.items) {
      const known = this.questions.get(q.id);
      this.questions.set(q.id, known && known.version > q.version ? { ...known, myVote: q.myVote } : q);
    }
    for (const p of polls.items) {
      const known = this.polls.get(p.id);
      this.polls.set(p.id, known && known.version > p.version ? { ...known, myVote: p.myVote } : p);
    }
  }

  /** A question asked or changed, heard in the room. */
  heardQuestion(q: LiveQuestion, created: boolean): void {
    const known = this.questions.get(q.id);
    if (!newer(known, q)) return;
    if (q.hidden && !this.qa.canHide) {
      this.questions.delete(q.id);
      return;
    }
    // A hidden question's text is not broadcast: those who may see it keep the text they have.
    const body = q.hidden ? (known?.body ?? q.body) : q.body;
    this.questions.set(q.id, { ...q, body, myVote: known?.myVote ?? false });
    if (created && !known && !q.hidden) this.asked += 1;
  }

  heardPoll(p: LivePoll): void {
    const known = this.polls.get(p.id);
    if (newer(known, p)) this.polls.set(p.id, { ...p, myVote: known?.myVote ?? [] });
  }

  sorted(sort: QuestionSort): Question[] {
    return [...this.questions.values()].sort(compareQuestions(sort));
  }

  pollList(): Poll[] {
    return [...this.polls.values()].sort((a, b) => b.id.length - a.id.length || (b.id > a.id ? 1 : -1));
  }
}

/**
 * A page's LiveRecord (call while the component initialises): made from the page's data, and kept
 * while the page shows the same event, every new load merged into it; another event, a new one.
 */
export function pageRecord(source: () => { slug: string; questions: Questions; polls: Polls }): {
  readonly current: LiveRecord;
} {
  const make = () =>
    untrack(() => {
      const { slug, questions, polls } = source();
      return new LiveRecord(slug, questions, polls);
    });
  let record = $state.raw(make());
  $effect.pre(() => {
    const { slug, questions, polls } = source();
    if (untrack(() => record.slug) !== slug) record = make();
    else untrack(() => record.load(questions, polls));
  });
  return {
    get current() {
      return record;
    },
  };
}
