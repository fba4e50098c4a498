/**
 * What the post composer offers as a person types `@` or `#` and a few letters: members to
 * mention (the thread's participants first) and cases to link. Reads only, for signed-in members.
 */
import type { CaseSuggestion, PeopleSuggestions, CasesSuggestions } from '@opsi/contracts/suggestions';
import type { Database } from '@opsi/db/database';
import type { Clock } from '../../platform/clock.ts';
import { AppError, problem } from '../../platform/errors.ts';
import * as repo from './repository.ts';

const DEFAULT_LIMIT = 8;

/** What was typed, trimmed: at least 2 characters, or a 400 naming `q`. */
function typed(q: string): string {
  const text = q.trim();
  if ([...text].length < 2) {
    const message = 'Type at least 2 characters.';
    throw new AppError('validation_failed', message, [problem('q', 'too_short', message, { min: 2 })]);
  }
  return text;
}

export function createSuggestionsService(database: Database, clock: Clock) {
  const db = database.kysely;
  return {
    async people(
      callerId: string,
      query: { q: string; case?: string | undefined; limit?: number | undefined },
    ): Promise<PeopleSuggestions> {
      const items = await repo.suggestPeople(db, {
        q: typed(query.q),
        callerId,
        caseSlug: query.case ?? null,
        limit: query.limit ?? DEFAULT_LIMIT,
        now: clock(),
      });
      return { items };
    },

    async cases(query: { q: string; limit?: number | undefined }): Promise<CasesSuggestions> {
      const items: CaseSuggestion[] = await repo.suggestCases(db, {
        q: typed(query.q),
        limit: query.limit ?? DEFAULT_LIMIT,
      });
      return { items };
    },
  };
}

export type SuggestionsService = ReturnType<typeof createSuggestionsService>;
