/**
 * The composer's suggestions as a person types `@` or `#` and two letters: members to mention
 * (the thread's participants first) and cases to link, from the API. The textarea is the combobox
 * of the ARIA 1.2 pattern once the page's scripts run (aria-autocomplete, aria-controls,
 * aria-expanded, aria-activedescendant; focus stays in the textarea): the arrows move through the
 * suggestions, Enter or Tab inserts the one chosen, Escape closes the list. Without JavaScript the
 * textarea is a plain one and `@handle` / `#slug` are typed by hand.
 */
import { tick } from 'svelte';
import { apiFor } from '#lib/api/client.ts';
import { m } from '#lib/paraglide/messages.js';
import { insertChoice, typingAt, type Trigger, type Typing } from '#lib/suggest-text.ts';

export interface Suggestion {
  /** What is inserted after the trigger: a handle or a slug. */
  value: string;
  /** A member's name or a case's title. */
  label: string;
  /** In the thread already (members only). */
  participant: boolean;
}

/** A short pause after the last key before asking (not one request per letter). */
const PAUSE_MS = 150;

export class Suggester {
  items = $state<Suggestion[]>([]);
  active = $state(-1);
  open = $state(false);
  kind = $state<Trigger>('@');
  /** The page's scripts run: the textarea is a combobox. */
  ready = $state(false);
  /** Said by the polite live region: how many suggestions there are. */
  announcement = $state('');
  readonly listId: string;
  #slug: () => string;
  #typing: Typing | null = null;
  #caret = 0;
  #request = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #api = apiFor({ fetch });

  constructor(listId: string, slug: () => string) {
    this.listId = listId;
    this.#slug = slug;
  }

  /** The textarea's combobox attributes (none before the scripts run: it is a plain textarea then). */
  get attributes(): Record<string, string | undefined> {
    if (!this.ready) return {};
    return {
      role: 'combobox',
      'aria-autocomplete': 'list',
      'aria-controls': this.listId,
      'aria-expanded': this.open ? 'true' : 'false',
      'aria-activedescendant': this.open && this.active >= 0 ? this.optionId(this.active) : undefined,
    };
  }

  optionId(index: number): string {
    return `${this.listId}-${index}`;
  }

  /** After every input: what is typed at the caret decides whether to ask, and for what. */
  update(textarea: HTMLTextAreaElement): void {
    const caret = textarea.selectionStart;
    const typing = caret === textarea.selectionEnd ? typingAt(textarea.value, caret) : null;
    clearTimeout(this.#timer);
    if (!typing) {
      this.close();
      return;
    }
    this.#timer = setTimeout(() => void this.#ask(typing, caret), PAUSE_MS);
  }

  async #ask(typing: Typing, caret: number): Promise<void> {
    const request = ++this.#request;
    const items = await this.#fetch(typing).catch(() => null);
    if (request !== this.#request || !items) return;
    this.#typing = typing;
    this.#caret = caret;
    this.kind = typing.trigger;
    this.items = items;
    this.active = -1;
    this.open = items.length > 0;
    await this.#announce(items.length ? m.thread_suggest_count({ count: items.length }) : m.thread_suggest_none());
  }

  async #fetch(typing: Typing): Promise<Suggestion[] | null> {
    const q = typing.query;
    if (typing.trigger === '@') {
      const query = { q, ...(this.#slug() ? { case: this.#slug() } : {}) };
      const { data } = await this.#api.GET('/api/v1/suggestions/people', { params: { query } });
      return data?.items.map((p) => ({ value: p.handle, label: p.displayName, participant: p.participant })) ?? null;
    }
    const { data } = await this.#api.GET('/api/v1/suggestions/cases', { params: { query: { q } } });
    return data?.items.map((c) => ({ value: c.slug, label: c.title, participant: false })) ?? null;
  }

  async #announce(text: string): Promise<void> {
    // Re-set so that the same words are said again.
    this.announcement = '';
    await tick();
    this.announcement = text;
  }

  close(): void {
    clearTimeout(this.#timer);
    this.#request += 1;
    this.open = false;
    this.active = -1;
  }

  /** The keys the open list takes; true when it took this one (the composer then does nothing). */
  keydown(event: KeyboardEvent, textarea: HTMLTextAreaElement, setText: (text: string) => void): boolean {
    if (!this.open || event.ctrlKey || event.metaKey || event.altKey) return false;
    const count = this.items.length;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      const step = event.key === 'ArrowDown' ? 1 : -1;
      this.active = this.active < 0 ? (step > 0 ? 0 : count - 1) : (this.active + step + count) % count;
    } else if ((event.key === 'Enter' || event.key === 'Tab') && this.active >= 0 && !event.shiftKey) {
      this.choose(this.active, textarea, setText);
    } else if (event.key === 'Escape') {
      this.close();
      // The list closes; the form (a reply or an edit) stays open.
      event.stopPropagation();
    } else return false;
    event.preventDefault();
    return true;
  }

  /** Inserts a suggestion in place of what was typed, the caret after it. */
  choose(index: number, textarea: HTMLTextAreaElement, setText: (text: string) => void): void {
    const item = this.items[index];
    const typing = this.#typing;
    if (!item || !typing) return;
    const done = insertChoice(textarea.value, typing, this.#caret, item.value);
    textarea.value = done.text;
    setText(done.text);
    textarea.focus();
    textarea.setSelectionRange(done.caret, done.caret);
    this.close();
  }
}
