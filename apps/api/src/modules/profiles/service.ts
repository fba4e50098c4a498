/** Profiles and the member directory: search and paging, the profile rules, the mapping to API shapes. */
import type { FieldProblem } from '@opsi/contracts/common';
import type { PeopleList, PeopleQuery, PersonCard, Profile, ProfilePatch } from '@opsi/contracts/profiles';
import type { Database } from '@opsi/db/database';
import { members as demoMembers } from '../../../../../db/seed/members.ts';
import { renderMarkdown } from '../../platform/markdown.ts';
import { AppError, problem } from '../../platform/errors.ts';
import { badCursor, cleanSearch, decodeCursor, encodeCursor } from '../../platform/cursors.ts';
import { unknownCountries, unknownThemes } from '../reference/service.ts';
import * as repo from './repository.ts';

/** The limits of ProfilePatch, checked again here for callers that bypass the route schema. */
export const PROFILE_LIMITS = {
  displayName: 80,
  headline: 140,
  organisation: 140,
  bio: 5000,
  themes: 10,
  links: 5,
  link: 500,
} as const;

const DAY = 24 * 60 * 60 * 1000;

function filterOf(query: PeopleQuery): repo.PeopleFilter {
  return { q: cleanSearch(query.q), country: query.country, theme: query.theme };
}

/** One line of text: control characters (which PostgreSQL or a page would choke on) become spaces. */
function oneLine(value: string): string {
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  return value.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();
}

/** Markdown keeps its line breaks and tabs; other control characters go. */
function multiLine(value: string): string {
  return (
    value
      .replace(/\r\n?/g, '\n')
      // eslint-disable-next-line no-control-regex -- removing control characters is the point
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]+/g, '')
      .trim()
  );
}

/** Nothing visible left: only white space and invisible format characters (zero-width space…). */
function isBlank(value: string): boolean {
  return /^[\s\p{Cf}]*$/u.test(value);
}

/**
 * A display name as it is stored, from sign-up or the profile form alike: on one line (control
 * characters, CR/LF included, become a space), trimmed; null when nothing visible is left (only
 * white space or zero-width characters).
 */
export function cleanDisplayName(value: string): string | null {
  const name = oneLine(value);
  return isBlank(name) ? null : name;
}

function isWebLink(value: string): boolean {
  if (!/^https?:\/\//i.test(value) || value.length > PROFILE_LIMITS.link || /\s/.test(value)) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

function toCard(row: repo.PersonRow): PersonCard {
  return {
    handle: row.handle,
    displayName: row.displayName,
    headline: row.headline,
    organisation: row.organisation,
    countryCode: row.countryCode,
    themes: row.themes,
    joinedAt: row.createdAt.toISOString(),
  };
}

function toProfile(row: repo.ProfileRow): Profile {
  return {
    handle: row.handle,
    displayName: row.displayName,
    headline: row.headline,
    organisation: row.organisation,
    countryCode: row.countryCode,
    bio: row.bio,
    bioHtml: row.bioHtml,
    themes: row.themes,
    links: row.links,
    joinedAt: row.createdAt.toISOString(),
    followerCount: row.followerCount,
    role: row.role,
    openToIntroductions: row.openToIntroductions,
  };
}

/** Checks and normalises a patch: the changes to write, or an AppError naming every bad field. */
async function changesOf(db: Database['kysely'], patch: ProfilePatch): Promise<repo.ProfileChanges> {
  const changes: repo.ProfileChanges = {};
  const invalid: FieldProblem[] = [];
  const tooLong = (field: keyof typeof PROFILE_LIMITS, value: string) => {
    if ([...value].length > PROFILE_LIMITS[field]) {
      invalid.push(
        problem(field, 'too_long', `${field} must be at most ${PROFILE_LIMITS[field]} characters`, {
          max: PROFILE_LIMITS[field],
        }),
      );
    }
  };

  if (patch.displayName !== undefined) {
    const displayName = cleanDisplayName(patch.displayName);
    if (displayName === null) invalid.push(problem('displayName', 'blank', 'displayName must not be blank'));
    else {
      tooLong('displayName', displayName);
      changes.displayName = displayName;
    }
  }
  for (const field of ['headline', 'organisation'] as const) {
    const value = patch[field];
    if (value === undefined) continue;
    changes[field] = isBlank(value) ? '' : oneLine(value);
    tooLong(field, changes[field]);
  }
  if (patch.bio !== undefined) {
    const bio = isBlank(patch.bio) ? '' : multiLine(patch.bio);
    tooLong('bio', bio);
    changes.bio = bio;
    changes.bioHtml = bio ? renderMarkdown(bio) : '';
  }
  if (patch.countryCode !== undefined) {
    if (patch.countryCode !== null && !/^[A-Z]{2}$/.test(patch.countryCode)) {
      invalid.push(problem('countryCode', 'bad_pattern', 'countryCode must be an ISO 3166-1 alpha-2 code, or null'));
    }
    changes.countryCode = patch.countryCode;
  }
  if (patch.themes !== undefined) {
    const themes = [...new Set(patch.themes)];
    if (themes.length > PROFILE_LIMITS.themes) {
      invalid.push(
        problem('themes', 'too_many', `themes: at most ${PROFILE_LIMITS.themes}`, { max: PROFILE_LIMITS.themes }),
      );
    }
    if (themes.some((t) => !/^[a-z0-9-]{2,40}$/.test(t))) {
      invalid.push(problem('themes', 'bad_pattern', 'themes must be theme slugs'));
    }
    changes.themes = themes;
  }
  if (patch.links !== undefined) {
    const links = [...new Set(patch.links.map((l) => l.trim()))];
    if (links.length > PROFILE_LIMITS.links) {
      invalid.push(
        problem('links', 'too_many', `links: at most ${PROFILE_LIMITS.links}`, { max: PROFILE_LIMITS.links }),
      );
    }
    for (const link of links) {
      if (!isWebLink(link))
        invalid.push(problem('links', 'not_web_link', 'links must be http:// or https:// addresses', { value: link }));
    }
    changes.links = links;
  }
  if (patch.openToIntroductions !== undefined) changes.openToIntroductions = patch.openToIntroductions;
  if (invalid.length) throw new AppError('validation_failed', invalid.map((p) => p.message).join('; '), invalid);

  const [badCountries, badThemes] = await Promise.all([
    unknownCountries(db, changes.countryCode ? [changes.countryCode] : []),
    unknownThemes(db, changes.themes ?? []),
  ]);
  const problems = [
    ...badCountries.map((c) =>
      problem('countryCode', 'unknown_country', `countryCode: "${c}" is not an ISO 3166-1 country`, { value: c }),
    ),
    ...badThemes.map((t) => problem('themes', 'unknown_theme', `themes: "${t}" is not a theme`, { value: t })),
  ];
  if (problems.length) throw new AppError('rule_violation', problems.map((p) => p.message).join('; '), problems);
  return changes;
}

export function createProfilesService(database: Database) {
  const db = database.kysely;

  async function byId(userId: string): Promise<Profile> {
    const row = /^\d{1,19}$/.test(userId) ? await repo.findProfileById(db, userId) : undefined;
    if (!row) throw new AppError('not_found', 'No such member');
    return toProfile(row);
  }

  return {
    /** The directory: with `q`, best match first; otherwise newest members first. */
    async list(query: PeopleQuery): Promise<PeopleList> {
      const filter = filterOf(query);
      const limit = query.limit ?? 20;
      const order: repo.PeopleOrder = filter.q ? 'relevance' : 'newest';
      const cursor = query.cursor ? decodeCursor(query.cursor) : {};
      // A cursor only continues the kind of listing that issued it (relevance cursors carry a rank).
      if (query.cursor && (cursor.afterId === undefined || (order === 'relevance') !== (cursor.rank !== undefined))) {
        throw badCursor();
      }
      const { rows, total: counted } = await repo.listPeople(db, filter, order, {
        afterId: cursor.afterId,
        rank: cursor.rank,
        limit: limit + 1,
      });
      const total = counted ?? (await repo.countPeople(db, filter));
      const page = rows.slice(0, limit);
      let nextCursor: string | null = null;
      if (rows.length > limit) {
        const last = page[page.length - 1];
        nextCursor =
          order === 'relevance'
            ? encodeCursor({ afterId: last?.id ?? '0', rank: last?.rank ?? 0 })
            : encodeCursor({ afterId: last?.id ?? '0' });
      }
      return { items: page.map(toCard), nextCursor, total };
    },

    async get(handle: string): Promise<Profile> {
      const row = await repo.findProfileByHandle(db, handle);
      if (!row) throw new AppError('not_found', `No member with handle "${handle}"`);
      return toProfile(row);
    },

    /** The signed-in member's own profile (GET /api/v1/me). */
    getProfileByUserId: byId,

    /**
     * PATCH /api/v1/me/profile: any subset of the fields. Strings are trimmed, the bio is rendered
     * to sanitised HTML; an unknown country or theme writes nothing.
     */
    async updateProfile(userId: string, patch: ProfilePatch): Promise<Profile> {
      const changes = await changesOf(db, patch);
      if (Object.keys(changes).length === 0) return byId(userId);
      const updated = /^\d{1,19}$/.test(userId) && (await repo.updateProfile(db, userId, changes));
      if (!updated) throw new AppError('not_found', 'No such member');
      return byId(userId);
    },
  };
}

export type ProfilesService = ReturnType<typeof createProfilesService>;

export interface DemoMember {
  handle: string;
  displayName: string;
  email: string;
  headline: string;
  organisation: string;
  countryCode: string;
  themes: string[];
  bio: string;
  links: string[];
}

/**
 * Inserts the demo members (db/seed/members.ts), who cannot sign in, joined over the past months
 * (the first of the list most recently). Members already there are skipped; returns how many were added.
 */
export async function seedDemoMembers(
  database: Database,
  options: { now?: Date; members?: DemoMember[] } = {},
): Promise<number> {
  const now = options.now?.getTime() ?? Date.now();
  const rows = (options.members ?? demoMembers).map((m, index) => ({
    handle: m.handle,
    displayName: m.displayName,
    email: m.email,
    headline: m.headline,
    organisation: m.organisation,
    countryCode: m.countryCode,
    themes: m.themes,
    bio: m.bio,
    bioHtml: m.bio ? renderMarkdown(m.bio) : '',
    links: m.links,
    // Introductions: the demo members are open to them, so a member who opts in meets them in matches.
    openToIntroductions: true,
    createdAt: new Date(now - (index * 5 + 1) * DAY - ((index * 7) % 24) * 60 * 60 * 1000),
  }));
  return repo.insertMembers(database.kysely, rows);
}
