/**
 * The public read cache (platform/cache.ts) as `fastify.publicCache`. Each committed activity
 * drops, on this node, the entries whose tags it touches (`tagsOf`), so a change is never served
 * stale after its outbox read; changes that publish no activity (a translation, an unfollow) are
 * announced on the invalidation bus's `public` topic (tags separated by spaces). Hits and misses
 * are counted in /metrics (`public_cache_requests_total`).
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Gauge } from 'prom-client';
import { createPublicCache, type PublicCache } from '../platform/cache.ts';
import { ALL } from '../platform/invalidations/bus.ts';
import { CacheTags } from '../platform/cache-tags.ts';
import type { Activity } from '../platform/outbox/catalogue.ts';

declare module 'fastify' {
  interface FastifyInstance {
    publicCache: PublicCache;
  }
}

type Hub = 'country' | 'theme';
const hubs = (activity: { countries: string[]; themes: string[] }, of: (hub: Hub, key: string) => string) => [
  ...activity.countries.map((c) => of('country', c)),
  ...activity.themes.map((t) => of('theme', t)),
];

/** What an activity changes among the public answers; null: anything (drop everything). */
export function tagsOf(activity: Activity): string[] | null {
  switch (activity.objectType) {
    case 'post': {
      const slug = activity.payload.caseSlug;
      // Reactions and redacted revisions show only in the thread.
      if (activity.verb === 'reacted' || activity.verb === 'revision_redacted') return [CacheTags.thread(slug)];
      // The thread, the case (its post count, last activity), the lists that may hold it, the
      // answers searching posts and its hubs' feeds.
      return [
        CacheTags.thread(slug),
        CacheTags.case(slug),
        CacheTags.unfilteredCaseLists,
        ...hubs(activity, CacheTags.hubCaseLists),
        CacheTags.search,
        ...hubs(activity, CacheTags.atom),
      ];
    }
    case 'case': {
      // Its follower count.
      if (activity.verb === 'followed') return [CacheTags.case(activity.objectId)];
      // A case's hubs may have changed (the old ones are not in the activity): every list and
      // facet count, every feed; the case under its slug and its previous one.
      const slugs = [activity.objectId];
      if (activity.verb === 'updated' && activity.payload.previousSlug) slugs.push(activity.payload.previousSlug);
      return [
        ...slugs.flatMap((slug) => [CacheTags.case(slug), CacheTags.thread(slug)]),
        CacheTags.caseLists,
        CacheTags.search,
        CacheTags.atoms,
      ];
    }
    case 'country':
    case 'theme':
    case 'person':
    case 'event':
      if (activity.verb === 'followed') {
        // Only a case shows its follower count among the public answers.
        return [];
      }
      if (activity.objectType === 'country' || activity.objectType === 'theme') {
        // Cases imported into a hub.
        return [CacheTags.caseLists, CacheTags.search, CacheTags.atom(activity.objectType, activity.objectId)];
      }
      if (activity.objectType === 'event') {
        const slug = activity.payload.eventSlug;
        switch (activity.verb) {
          case 'created':
            return [CacheTags.events, CacheTags.event(slug), ...hubs(activity, CacheTags.atom)];
          case 'updated':
          case 'cancelled':
            return [CacheTags.events, CacheTags.event(slug), CacheTags.atoms];
          case 'rsvp_changed':
            return [CacheTags.events, CacheTags.event(slug)];
          default:
            return [CacheTags.event(slug)];
        }
      }
      return null;
    case 'moderation':
      // Who is told what: the hide itself is a post activity.
      return [];
    case 'proposal':
      return [CacheTags.allCases, CacheTags.caseLists, CacheTags.search, CacheTags.atoms];
    default:
      return null;
  }
}

async function cachePlugin(fastify: FastifyInstance) {
  const cache = createPublicCache(Date.now, fastify.config.publicCacheSeconds * 1000);
  fastify.activities.subscribe((activity) => {
    const tags = tagsOf(activity);
    if (tags === null) cache.clear();
    else if (tags.length) cache.invalidate(tags);
  });
  fastify.invalidations.on('public', (tags) => (tags === ALL ? cache.clear() : cache.invalidate(tags.split(' '))));
  // Read when /metrics is scraped.
  new Gauge({
    name: 'public_cache_requests_total',
    help: 'Reads of the public cache: hit (from memory), miss (loaded), shared (waited for a load); invalidated: entries dropped',
    labelNames: ['result'] as const,
    registers: [fastify.metrics],
    collect() {
      const stats = cache.stats();
      for (const result of ['hits', 'misses', 'shared', 'invalidated'] as const) this.set({ result }, stats[result]);
    },
  });
  fastify.decorate('publicCache', cache);
}

export default fp(cachePlugin, { name: 'cache', dependencies: ['outbox', 'invalidations', 'metrics'] });
