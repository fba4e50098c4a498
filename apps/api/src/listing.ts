/** What every list endpoint shares: opaque cursors and the cleaning of search text. */
import { AppError } from './plugins/errors.ts';

/** Keyset pages carry the last id shown; ranked (search) pages carry how many were shown. */
export interface DecodedCursor {
  afterId?: string;
  offset?: number;
}

export function encodeCursor(cursor: DecodedCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

export function decodeCursor(cursor: string): DecodedCursor {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (value && typeof value === 'object') {
      const { afterId, offset } = value as Record<string, unknown>;
      if (typeof afterId === 'string' && /^\d{1,19}$/.test(afterId)) return { afterId };
      if (typeof offset === 'number' && Number.isInteger(offset) && offset >= 0 && offset < 1_000_000)
        return { offset };
    }
  } catch {
    // fall through
  }
  throw badCursor();
}

export function badCursor(): AppError {
  return new AppError('validation_failed', 'cursor is not a cursor this API issued', [
    { field: 'cursor', message: 'cursor is not a cursor this API issued' },
  ]);
}

/** Search text without control characters (PostgreSQL text cannot hold NUL); undefined when blank. */
export function cleanSearch(q: string | undefined): string | undefined {
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  const cleaned = q?.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return cleaned ? cleaned : undefined;
}
