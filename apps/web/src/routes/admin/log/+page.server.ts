import { LogTargetTypes, type LogTargetType } from '@opsi/contracts/moderation';
import { apiFor, must } from '#lib/api/client.ts';
import { adminOnly } from '#lib/server/admin-only.ts';
import type { PageServerLoad } from './$types';

const isTargetType = (value: string): value is LogTargetType => (LogTargetTypes as readonly string[]).includes(value);

export const load: PageServerLoad = async (event) => {
  adminOnly(event);
  const params = event.url.searchParams;
  const typeParam = params.get('targetType') ?? '';
  const targetType = isTargetType(typeParam) ? typeParam : undefined;
  const target = (params.get('target') ?? '').trim().replace(/^@/, '').slice(0, 100);
  const cursor = params.get('cursor') ?? undefined;
  const query = {
    limit: 25,
    ...(targetType ? { targetType } : {}),
    ...(target ? { target } : {}),
    ...(cursor ? { cursor } : {}),
  };
  const log = await must(apiFor(event).GET('/api/v1/moderation/log', { params: { query } }));
  const next = new URLSearchParams();
  if (targetType) next.set('targetType', targetType);
  if (target) next.set('target', target);
  const first = next.toString();
  if (log.nextCursor) next.set('cursor', log.nextCursor);
  return {
    filters: { targetType: targetType ?? '', target },
    entries: log.items,
    nextQuery: log.nextCursor ? next.toString() : null,
    firstQuery: cursor ? first : null,
  };
};
