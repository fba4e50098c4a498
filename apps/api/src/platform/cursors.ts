/** What every list endpoint shares: opaque cursors and the cleaning of search text. */
import { AppError, problem } from './errors.ts';

/**
 * Every list pages by keyset, never by OFFSET: a cursor carries the last id shown and, for ranked
 * lists (searches), its rank and, where ids of two kinds are listed together, its kind.
 */
export interface DecodedCursor {
  afterId?: string;
  rank?: number;
  kind?: string;
}

export function encodeCursor(cursor: DecodedCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

export function decodeCursor(cursor: string): DecodedCursor {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (value && typeof value === 'object') {
      const { afterId, rank, kind } = value as Record<string, unknown>;
      if (typeof afterId === 'string' && /^\d{1,19}$/.test(afterId)) {
        const decoded: DecodedCursor = { afterId };
        if (typeof rank === 'number' && Number.isFinite(rank)) decoded.rank = rank;
        if (typeof kind === 'string' && /^[a-z]{1,10}$/.test(kind)) decoded.kind = kind;
        return decoded;
      }
    }
  } catch {
    // fall through
  }
  throw badCursor();
}

export function badCursor(): AppError {
  return new AppError('validation_failed', 'cursor is not a cursor this API issued', [
    problem('cursor', 'invalid_cursor', 'cursor is not a cursor this API issued'),
  ]);
}

/** Search text without control characters (PostgreSQL text cannot hold NUL); undefined when blank. */
export function cleanSearch(q: string | undefined): string | undefined {
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  const cleaned = q?.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return cleaned ? cleaned : undefined;
}
