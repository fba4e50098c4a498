/** How a post's author is named: a member by their name, a deleted account as "a former member". */
import type { PostAuthor } from '@opsi/contracts/discussions';
import { m } from '#lib/paraglide/messages.js';

export function authorName(author: PostAuthor): string {
  return author.former ? m.thread_former_member() : author.displayName;
}
