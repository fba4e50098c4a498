/**
 * Matches in one statement: every signal the asker has (themes followed or in the profile, cases
 * followed, threads posted in, events gone to, the words of the profile and recent posts) joined
 * to the others who share it, through indexes keyed by the thing shared (follows_target_user_idx,
 * users_themes_idx, posts_case_author_idx, rsvps_event_user_idx, users_intro_text_idx); only
 * then are the hits kept to members who opted in, in another country, in good standing and with no
 * block either way, summed into a score, and the best `limit` returned with what they share.
 */
import { sql } from 'kysely';
import type { Executor } from '@opsi/db/executor';
import type { Member } from '../repository.ts';

/** How much one shared thing weighs: a specific case or event says more than a broad theme. */
export const WEIGHTS = { theme: 1, case: 2, thread: 3, event: 2, text: 3 } as const;

/** The asker's words that count: the most frequent of their profile and last posts, not these. */
const STOP_WORDS = [
  'about',
  'also',
  'been',
  'from',
  'have',
  'into',
  'more',
  'most',
  'much',
  'only',
  'other',
  'over',
  'some',
  'such',
  'than',
  'that',
  'their',
  'them',
  'then',
  'there',
  'these',
  'they',
  'this',
  'those',
  'very',
  'were',
  'what',
  'when',
  'where',
  'which',
  'while',
  'will',
  'with',
  'would',
  'your',
  'ours',
  'aussi',
  'avec',
  'avons',
  'cela',
  'celle',
  'cette',
  'comme',
  'dans',
  'depuis',
  'elle',
  'elles',
  'encore',
  'leur',
  'leurs',
  'mais',
  'même',
  'nous',
  'notre',
  'nos',
  'pour',
  'plus',
  'sans',
  'sont',
  'sous',
  'tout',
  'tous',
  'toute',
  'très',
  'vers',
  'vous',
  'votre',
  'être',
  'fait',
  'faire',
];
const TERMS = 8;
const POSTS_READ = 30;
/** The asker's threads that count: the latest they posted in. */
const THREADS = 50;
/**
 * The members found by words that count (the first found: the words are not ranked over the whole
 * network), and the members sharing only themes (the first in the index) who compete with them.
 */
const TEXT_CANDIDATES = 300;
const THEME_FILL = 300;

/** A member found, as `Member` names them (../repository.ts), with why. */
export interface MatchRow extends Pick<
  Member,
  'id' | 'handle' | 'displayName' | 'countryCode' | 'headline' | 'organisation'
> {
  score: number;
  /** What is shared: `kind:key` (theme:slug, case:slug, thread:caseId, event:eventId). */
  hits: string[];
  /** The asker's terms found in their profile. */
  terms: string[];
}

export async function findMatches(
  db: Executor,
  input: { userId: string; now: Date; limit: number; only?: string },
): Promise<MatchRow[]> {
  const me = input.userId;
  // One member only (what two members share, for the email on accepting): whoever they are now.
  const only = input.only ?? null;
  const w = WEIGHTS;
  const result = await sql<{
    id: string;
    handle: string;
    display_name: string;
    country_code: string | null;
    headline: string;
    organisation: string;
    score: number | string;
    hits: string[] | null;
    terms: string[] | null;
  }>`
    with me as (
      select id, country_code, themes, intro_text from users where id = ${me}
    ),
    my_themes as (
      select f.target_key as slug from follows f where f.user_id = ${me} and f.target_type = 'theme'
      union
      select unnest(me.themes) from me
    ),
    my_words as (
      select w.lexeme, array_length(w.positions, 1) as n
      from me,
        unnest(me.intro_text || coalesce((
          select to_tsvector('simple', string_agg(p.body, ' '))
          from (select body from posts where author_id = ${me} and deleted_at is null and hidden_at is null
                order by id desc limit ${POSTS_READ}) p
        ), ''::tsvector)) w
      where length(w.lexeme) >= 4 and w.lexeme !~ '[''\\\\:&|!()<>*]' and w.lexeme !~ '^[0-9]+$'
        and w.lexeme <> all (${STOP_WORDS}::text[])
      order by n desc nulls last, w.lexeme
      limit ${TERMS}
    ),
    my_query as (
      select string_agg('''' || lexeme || '''', ' | ')::tsquery as q, array_agg(lexeme) as words from my_words
    ),
    -- The specific signals first (cases, threads, events, words: bounded by what the asker did),
    -- whose members are the candidates; then the themes (broad: thousands follow each) counted
    -- for those candidates only, and a bounded fill of members sharing only themes.
    specific as (
      select f.user_id, 'case:' || f.target_key as hit, ${w.case}::real as weight from follows mine
        join follows f on f.target_type = 'case' and f.target_key = mine.target_key
        where mine.user_id = ${me} and mine.target_type = 'case'
      union all
      select p.author_id, 'thread:' || mine.case_id, ${w.thread}::real
        from (select case_id from posts where author_id = ${me} and deleted_at is null
              group by case_id order by max(id) desc limit ${THREADS}) mine
        cross join lateral (select distinct author_id from posts
              where case_id = mine.case_id and deleted_at is null) p
      union all
      select r.user_id, 'event:' || r.event_id, ${w.event}::real
        from (select event_id from rsvps where user_id = ${me} and (status = 'going' or checked_in_at is not null)) mine
        join rsvps r on r.event_id = mine.event_id and (r.status = 'going' or r.checked_in_at is not null)
      union all
      (select u.id, 'text:', least(${w.text}, ts_rank(u.intro_text, my_query.q) * 10)::real as weight
        from my_query join users u
          on u.open_to_introductions and u.deleted_at is null and my_query.q is not null and u.intro_text @@ my_query.q
        limit ${TEXT_CANDIDATES})
    ),
    candidates as (
      select user_id from specific
      union
      select ${only}::bigint where ${only}::bigint is not null
      union
      (select f.user_id from follows f join my_themes t on f.target_type = 'theme' and f.target_key = t.slug
        limit ${THEME_FILL})
    ),
    theme_hits as (
      select c.user_id, 'theme:' || x.slug as hit from candidates c
        cross join lateral (
          select f.target_key as slug from follows f
          where f.user_id = c.user_id and f.target_type = 'theme'
          union
          select unnest(u.themes) from users u where u.id = c.user_id
        ) x
      where x.slug in (select slug from my_themes)
    ),
    hits as (
      select user_id, hit, weight from specific
      union all
      select user_id, hit, ${w.theme}::real from theme_hits
    ),
    scored as (
      select h.user_id, sum(h.weight) as score from hits h
      where h.user_id <> ${me} and (${only}::bigint is null or h.user_id = ${only}::bigint)
      group by h.user_id
    ),
    best as (
      select u.id, u.handle, u.display_name, u.country_code, u.headline, u.organisation, u.intro_text, s.score
      from scored s
      join users u on u.id = s.user_id
      cross join me
      where ${only}::bigint is not null or (u.open_to_introductions and u.deleted_at is null
        and u.country_code is not null and u.country_code is distinct from me.country_code)
        and not (u.suspended_at is not null and (u.suspended_until is null or u.suspended_until > ${input.now}))
        and not exists (select 1 from blocks b where b.blocker_id = ${me} and b.blocked_id = u.id)
        and not exists (select 1 from blocks b where b.blocker_id = u.id and b.blocked_id = ${me})
      order by s.score desc, u.id
      limit ${input.limit}
    )
    select b.id, b.handle, b.display_name, b.country_code, b.headline, b.organisation, b.score,
      (select array_agg(h.hit order by h.weight desc, h.hit) from hits h where h.user_id = b.id and h.hit <> 'text:') as hits,
      (select array_agg(x.lexeme order by x.lexeme) from unnest(b.intro_text) x, my_query
        where x.lexeme = any (my_query.words)) as terms
    from best b
    order by b.score desc, b.id
  `.execute(db);
  return result.rows.map((r) => ({
    id: r.id,
    handle: r.handle,
    displayName: r.display_name,
    countryCode: r.country_code,
    headline: r.headline,
    organisation: r.organisation,
    score: Number(r.score),
    hits: r.hits ?? [],
    terms: r.terms ?? [],
  }));
}

/** Names of what the hits point at, in the reader's language (`fr` or English). */
export async function hitLabels(
  db: Executor,
  input: { themes: string[]; cases: string[]; threads: string[]; events: string[]; french: boolean },
): Promise<{
  themes: Map<string, string>;
  cases: Map<string, string>;
  threads: Map<string, string>;
  events: Map<string, string>;
}> {
  const none = Promise.resolve([] as { key: string; label: string }[]);
  const [themes, cases, threads, events] = await Promise.all([
    input.themes.length
      ? db
          .selectFrom('themes')
          .select(['slug as key', input.french ? 'name_fr as label' : 'name as label'])
          .where('slug', 'in', input.themes)
          .execute()
      : none,
    input.cases.length
      ? db.selectFrom('cases').select(['slug as key', 'title as label']).where('slug', 'in', input.cases).execute()
      : none,
    input.threads.length
      ? db
          .selectFrom('cases')
          .select([sql<string>`id::text`.as('key'), 'title as label'])
          .where('id', 'in', input.threads)
          .execute()
      : none,
    input.events.length
      ? db
          .selectFrom('events')
          .select([sql<string>`id::text`.as('key'), 'title as label'])
          .where('id', 'in', input.events)
          .execute()
      : none,
  ]);
  const map = (rows: { key: string; label: string }[]) => new Map(rows.map((r) => [r.key, r.label]));
  return { themes: map(themes), cases: map(cases), threads: map(threads), events: map(events) };
}
