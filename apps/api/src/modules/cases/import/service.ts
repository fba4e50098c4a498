/**
 * An import of a case library (`npm run admin -- import-cases FILE`): every row checked as the API
 * checks a new case, then upserted by sourceId in one transaction. A new sourceId inserts a case
 * (revision 1 by nobody, a free slug); a known one whose fields differ updates it (version + 1, a
 * revision by nobody noted "import"); a known one with the same fields is left alone (no write, no
 * revision, no activity), so importing a file twice changes nothing the second time. The new cases
 * are told once per hub (cases/catalogue-entries.ts: `imported`), not once per case.
 */
import { caseSnapshot, type CaseFields } from '@opsi/db/case-row';
import type { Database } from '@opsi/db/database';
import type { NewActivity } from '../../../platform/outbox/catalogue.ts';
import { listCountries, listThemes } from '../../reference/service.ts';
import { slugify } from '../service.ts';
import { createMapper, isRejected, placeOf, readRows, type ImportRow, type Rejected } from './rows.ts';
import * as repo from './repository.ts';

export type ImportFormat = 'csv' | 'json';

export interface ImportProgress {
  phase: 'checking' | 'writing';
  done: number;
  total: number;
}

export interface ImportOptions {
  dryRun?: boolean;
  /** Told as rows are checked and written (the command line's progress). */
  progress?: (p: ImportProgress) => void;
}

export interface ImportReport {
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: Rejected[];
  /** Columns (CSV) or keys (JSON) the import does not read. */
  ignored: string[];
  dryRun: boolean;
  /** One per hub (country and theme) of the new cases; none for a dry run. */
  activities: number;
}

/** How many titles a hub's `imported` activity quotes. */
const SAMPLE_TITLES = 3;

/** The format of a file: from its name, else from its first character. */
export function formatOf(name: string, text: string): ImportFormat {
  if (/\.json$/i.test(name)) return 'json';
  if (/\.csv$/i.test(name)) return 'csv';
  // \s takes in a byte-order mark too.
  return /^\s*[[{]/.test(text) ? 'json' : 'csv';
}

function trimHyphens(slug: string): string {
  let end = slug.length;
  while (end > 0 && slug[end - 1] === '-') end -= 1;
  return slug.slice(0, end);
}

/** Free slugs for new cases: the wanted one, else `<base>-2`, `-3`… (none taken, none twice). */
async function freeSlugs(database: Database, wanted: string[]): Promise<string[]> {
  const chosen: (string | null)[] = wanted.map(() => null);
  const used = new Set<string>();
  let attempt = 1;
  let pending = wanted.map((_, i) => i);
  while (pending.length) {
    const candidates = pending.map((i) =>
      attempt === 1 ? wanted[i]! : `${trimHyphens(wanted[i]!.slice(0, 36))}-${attempt}`,
    );
    const taken = await repo.takenSlugs(database.kysely, candidates);
    const next: number[] = [];
    pending.forEach((i, k) => {
      const slug = candidates[k]!;
      if (taken.has(slug) || used.has(slug)) next.push(i);
      else {
        used.add(slug);
        chosen[i] = slug;
      }
    });
    pending = next;
    attempt += 1;
    if (attempt > 1000) throw new Error('could not find free slugs');
  }
  return chosen as string[];
}

/** One `imported` activity per country and per theme of the new cases. */
function hubActivities(
  inserts: CaseFields[],
  names: { countries: Map<string, string>; themes: Map<string, string> },
): NewActivity[] {
  const hubs = new Map<string, { type: 'country' | 'theme'; key: string; titles: string[]; count: number }>();
  for (const c of inserts) {
    const keys = [...c.countries.map((k) => ['country', k] as const), ...c.themes.map((k) => ['theme', k] as const)];
    for (const [type, key] of keys) {
      const hub = hubs.get(`${type}:${key}`) ?? { type, key, titles: [], count: 0 };
      hub.count += 1;
      if (hub.titles.length < SAMPLE_TITLES) hub.titles.push(c.title);
      hubs.set(`${type}:${key}`, hub);
    }
  }
  return [...hubs.values()].map((h) => ({
    verb: 'imported',
    objectType: h.type,
    objectId: h.key,
    actorId: null,
    countries: h.type === 'country' ? [h.key] : [],
    themes: h.type === 'theme' ? [h.key] : [],
    isPublic: true,
    payload: {
      count: h.count,
      label: (h.type === 'country' ? names.countries : names.themes).get(h.key) ?? h.key,
      titles: h.titles,
    },
  }));
}

export async function importCases(
  database: Database,
  text: string,
  format: ImportFormat,
  options: ImportOptions = {},
): Promise<ImportReport> {
  const db = database.kysely;
  const told = options.progress ?? (() => undefined);
  // After each step told, a turn of the event loop: a server running the import for the command
  // line (operator/listener.ts) sends the progress out then, and answers its other requests.
  const progress = async (p: ImportProgress) => {
    told(p);
    await new Promise<void>((resolve) => setImmediate(resolve));
  };
  const { rows, ignored } = readRows(text, format);
  const [countries, themes] = await Promise.all([listCountries(db), listThemes(db)]);
  const mapRow = createMapper({ countries, themes });

  const rejected: Rejected[] = [];
  const valid: ImportRow[] = [];
  const firstPlace = new Map<string, string>();
  for (const [i, raw] of rows.entries()) {
    const row = mapRow(raw);
    if (isRejected(row)) rejected.push(row);
    else if (firstPlace.has(row.sourceId)) {
      rejected.push({
        line: row.line,
        index: row.index,
        sourceId: row.sourceId,
        reasons: [
          { field: 'sourceId', message: `sourceId "${row.sourceId}" is also on ${firstPlace.get(row.sourceId)}` },
        ],
      });
    } else {
      firstPlace.set(row.sourceId, placeOf(row));
      valid.push(row);
    }
    if ((i + 1) % 250 === 0 || i + 1 === rows.length) {
      await progress({ phase: 'checking', done: i + 1, total: rows.length });
    }
  }

  const existing = await repo.casesBySourceId(
    db,
    valid.map((r) => r.sourceId),
  );
  const updates: repo.CaseUpdate[] = [];
  const fresh: ImportRow[] = [];
  let unchanged = 0;
  for (const row of valid) {
    const known = existing.get(row.sourceId);
    if (!known) {
      fresh.push(row);
      continue;
    }
    // A known case keeps its slug (a rename is an edit's business, with its redirect).
    const fields: CaseFields = { ...row.fields, slug: known.snapshot.slug };
    if (JSON.stringify(caseSnapshot(fields)) === JSON.stringify(known.snapshot)) unchanged += 1;
    else updates.push({ id: known.id, version: known.version, fields });
  }

  // A slug given in the file must be free; the others are made free.
  const givenTaken = await repo.takenSlugs(
    db,
    fresh.flatMap((r) => (r.slug ? [r.slug] : [])),
  );
  const seenGiven = new Set<string>();
  const inserting = fresh.filter((r) => {
    if (!r.slug) return true;
    if (givenTaken.has(r.slug) || seenGiven.has(r.slug)) {
      rejected.push({
        line: r.line,
        index: r.index,
        sourceId: r.sourceId,
        reasons: [{ field: 'slug', message: `slug "${r.slug}" is taken` }],
      });
      return false;
    }
    seenGiven.add(r.slug);
    return true;
  });
  const auto = inserting.filter((r) => !r.slug);
  const slugs = await freeSlugs(
    database,
    auto.map((r) => slugify(r.fields.title)),
  );
  const autoSlug = new Map(auto.map((r, i) => [r, slugs[i]!]));
  const inserts: CaseFields[] = inserting.map((r) => ({ ...r.fields, slug: r.slug ?? autoSlug.get(r)! }));

  rejected.sort((a, b) => (a.index ?? a.line ?? 0) - (b.index ?? b.line ?? 0));
  const activities = hubActivities(inserts, {
    countries: new Map(countries.map((c) => [c.code, c.name])),
    themes: new Map(themes.map((t) => [t.slug, t.name])),
  });
  const dryRun = options.dryRun ?? false;
  const total = inserts.length + updates.length;
  if (!dryRun && total > 0) {
    await repo.writeImport(db, { inserts, updates, activities }, (done) => progress({ phase: 'writing', done, total }));
  }
  return {
    rows: rows.length,
    inserted: inserts.length,
    updated: updates.length,
    unchanged,
    rejected,
    ignored,
    dryRun,
    activities: dryRun ? 0 : activities.length,
  };
}
