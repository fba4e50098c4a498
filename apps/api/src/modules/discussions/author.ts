/** Who wrote a post, as readers see it. */
import { FORMER_MEMBER_HANDLE, type PostAuthor } from '@opsi/contracts/discussions';
import type { PostRow } from './repository.ts';

/** A deleted account is "a former member", the same for all of them (nothing tells their posts apart). */
export function authorOf(row: Pick<PostRow, 'authorHandle' | 'authorName' | 'authorFormer'>): PostAuthor {
  return row.authorFormer
    ? { handle: FORMER_MEMBER_HANDLE, displayName: 'A former member', former: true }
    : { handle: row.authorHandle, displayName: row.authorName };
}
