/**
 * From a file's text to checked import rows: CSV (a header row, then one case per record) or JSON
 * (an array of objects, or `{cases: [...]}`). Columns are matched by name whatever their case and
 * punctuation (`sourceId`, `source_id`, `Source ID`); countries by ISO code or English or French
 * name, themes by slug or English or French name (case and accents ignored). Every row is checked
 * with the API's own NewCase schema, so an import accepts exactly what POST /api/v1/cases would.
 */
import { Compile } from 'typebox/compile';
import { NewCase } from '@opsi/contracts/cases';
import type { CaseFields } from '@opsi/db/case-row';
import { parseCsv } from './csv.ts';

/** The columns an import reads (the README documents each). */
export const IMPORT_COLUMNS = [
  'sourceId',
  'title',
  'summary',
  'body',
  'countries',
  'themes',
  'year',
  'organisation',
  'levelOfGovernment',
  'stage',
  'sourceUrl',
  'language',
  'slug',
] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];

/** Where a row is in its file: the line its record starts on, and for JSON its index in the array. */
export interface RowPlace {
  line: number | null;
  index: number | null;
}

export interface RawRow extends RowPlace {
  values: Partial<Record<ImportColumn, unknown>>;
}

export interface Rejected extends RowPlace {
  sourceId: string | null;
  reasons: { field: string; message: string }[];
}

/** A row that passed every check: the case's fields (its slug is chosen when it is written). */
export interface ImportRow extends RowPlace {
  sourceId: string;
  slug: string | null;
  fields: Omit<CaseFields, 'slug'> & { language: string; sourceId: string };
}

export interface Reference {
  countries: { code: string; name: string; nameFr: string }[];
  themes: { slug: string; name: string; nameFr: string }[];
}

export class ImportFileError extends Error {}

/** "Côte d’Ivoire" → "cote d ivoire": for matching names whatever their case and accents. */
export function nameKey(value: string): string {
  return value
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

const COLUMN_BY_KEY = new Map<string, ImportColumn>(IMPORT_COLUMNS.map((c) => [c.toLowerCase(), c]));
const columnOf = (header: string) => COLUMN_BY_KEY.get(header.toLowerCase().replace(/[^a-z]/g, ''));

/** The rows of a file, and the columns it has that an import does not read. */
export function readRows(text: string, format: 'csv' | 'json'): { rows: RawRow[]; ignored: string[] } {
  return format === 'csv' ? csvRows(text) : jsonRows(text);
}

function csvRows(text: string): { rows: RawRow[]; ignored: string[] } {
  const [header, ...records] = parseCsv(text);
  if (!header) throw new ImportFileError('the file is empty (a CSV import needs a header row)');
  const columns = header.fields.map((h) => columnOf(h.trim()));
  if (!columns.includes('sourceId')) throw new ImportFileError('the header row has no sourceId column');
  const ignored = header.fields.filter((_, i) => !columns[i]).map((h) => h.trim());
  const rows = records.map((r) => {
    const values: RawRow['values'] = {};
    columns.forEach((column, i) => {
      if (column && r.fields[i] !== undefined) values[column] = r.fields[i];
    });
    return { line: r.line, index: null, values };
  });
  return { rows, ignored };
}

function jsonRows(text: string): { rows: RawRow[]; ignored: string[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ImportFileError(`the file is not valid JSON (${(error as Error).message})`);
  }
  const list = Array.isArray(parsed) ? parsed : (parsed as { cases?: unknown } | null)?.cases;
  if (!Array.isArray(list)) throw new ImportFileError('a JSON import is an array of cases, or {"cases": [...]}');
  const lines = elementLines(text, list.length);
  const ignored = new Set<string>();
  const rows = list.map((item, index) => {
    const values: RawRow['values'] = {};
    if (item && typeof item === 'object' && !Array.isArray(item)) {
      for (const [key, value] of Object.entries(item as Record<string, unknown>)) {
        const column = columnOf(key);
        if (column) values[column] = value;
        else ignored.add(key);
      }
    }
    return { line: lines?.[index] ?? null, index, values };
  });
  return { rows, ignored: [...ignored] };
}

/**
 * The line each element of the cases array starts on: the root array's elements, or those of the
 * first array inside the root object. Null when the count does not match (the places are then
 * given by index alone).
 */
function elementLines(text: string, expected: number): number[] | null {
  const lines: number[] = [];
  const stack: string[] = [];
  let target = -1;
  let line = 1;
  let inString = false;
  let expectValue = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i]!;
    if (ch === '\n') line += 1;
    if (inString) {
      if (ch === '\\') i += 1;
      else if (ch === '"') inString = false;
      continue;
    }
    if (/\s/.test(ch)) continue;
    if (target === stack.length && stack[stack.length - 1] === '[' && expectValue && ch !== ']') lines.push(line);
    expectValue = false;
    if (ch === '"') inString = true;
    else if (ch === '[' || ch === '{') {
      stack.push(ch);
      if (target < 0 && ch === '[' && (stack.length === 1 || (stack.length === 2 && stack[0] === '{'))) {
        target = stack.length;
      }
      expectValue = ch === '[';
    } else if (ch === ']' || ch === '}') stack.pop();
    else if (ch === ',') expectValue = true;
  }
  return lines.length === expected ? lines : null;
}

const check = Compile(NewCase);

function text(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const s = (typeof value === 'string' ? value : String(value)).trim();
  return s === '' ? undefined : s;
}

function list(value: unknown): string[] {
  if (Array.isArray(value)) return value.map((v) => String(v).trim()).filter(Boolean);
  const s = text(value);
  return s
    ? s
        .split(';')
        .map((v) => v.trim())
        .filter(Boolean)
    : [];
}

/** The typed value of a year cell ("2021" → 2021); anything else stays as given, for the check to name. */
function year(value: unknown): unknown {
  if (typeof value === 'number') return value;
  const s = text(value);
  return s !== undefined && /^-?\d+$/.test(s) ? Number(s) : s;
}

/** The reasons a value fails NewCase, named by field, in words an operator reads. */
function schemaReasons(input: Record<string, unknown>): Rejected['reasons'] {
  const reasons = new Map<string, string>();
  for (const e of check.Errors(input)) {
    const params = e.params as Record<string, unknown>;
    if (e.keyword === 'required') {
      for (const f of (params.requiredProperties as string[] | undefined) ?? []) reasons.set(f, `${f} is required`);
      continue;
    }
    const field = e.instancePath.split('/').filter(Boolean)[0] ?? 'row';
    if (reasons.has(field)) continue;
    const limit = params.limit;
    const say: Record<string, string> = {
      minLength: `${field} must be at least ${String(limit)} characters`,
      maxLength: `${field} must be at most ${String(limit)} characters`,
      minimum: `${field} must be ${String(limit)} or later`,
      maximum: `${field} must be ${String(limit)} or earlier`,
      minItems: `${field} needs at least ${String(limit)}`,
      maxItems: `${field} takes at most ${String(limit)}`,
      uniqueItems: `${field} lists one twice`,
      enum: `${field} must be one of ${((params.allowedValues as string[] | undefined) ?? []).join(', ')}`,
      type: `${field} must be ${field === 'year' ? 'a whole number' : `a ${String(params.type)}`}`,
      format: `${field} must be an http(s) URL`,
    };
    const patterns: Record<string, string> = {
      sourceUrl: 'sourceUrl must be an http(s) URL',
      language: 'language must be a BCP 47 tag such as en, fr or pt-BR',
      slug: 'slug must be 2–40 lowercase letters, digits and hyphens',
    };
    const pattern = e.keyword === 'pattern' ? patterns[field] : undefined;
    reasons.set(field, say[e.keyword] ?? pattern ?? `${field} ${e.message}`);
  }
  return [...reasons].map(([field, message]) => ({ field, message }));
}

/** Maps names to codes and slugs: one lookup table per file. */
export function createMapper(reference: Reference) {
  const countries = new Map<string, string>();
  for (const c of reference.countries) {
    countries.set(nameKey(c.code), c.code);
    countries.set(nameKey(c.name), c.code);
    countries.set(nameKey(c.nameFr), c.code);
  }
  const themes = new Map<string, string>();
  for (const t of reference.themes) {
    themes.set(nameKey(t.slug), t.slug);
    themes.set(nameKey(t.name), t.slug);
    themes.set(nameKey(t.nameFr), t.slug);
  }

  /** The row checked: an ImportRow, or what is wrong with it. */
  return function mapRow(row: RawRow): ImportRow | Rejected {
    const v = row.values;
    const place = { line: row.line, index: row.index };
    const reasons: Rejected['reasons'] = [];
    const codes: string[] = [];
    for (const name of list(v.countries)) {
      const code = countries.get(nameKey(name));
      if (code) codes.push(code);
      else
        reasons.push({
          field: 'countries',
          message: `countries: "${name}" is not a country (ISO code, English or French name)`,
        });
    }
    const slugs: string[] = [];
    for (const name of list(v.themes)) {
      const slug = themes.get(nameKey(name));
      if (slug) slugs.push(slug);
      else
        reasons.push({ field: 'themes', message: `themes: "${name}" is not a theme (slug, English or French name)` });
    }
    const sourceId = text(v.sourceId);
    const language = text(v.language)?.replace(/^[a-z]+/i, (s) => s.toLowerCase()) ?? 'en';
    const input: Record<string, unknown> = {
      title: text(v.title),
      summary: text(v.summary),
      body: text(v.body) ?? '',
      countries: [...new Set(codes)],
      themes: [...new Set(slugs)],
      year: year(v.year),
      organisation: text(v.organisation),
      levelOfGovernment: text(v.levelOfGovernment)?.toLowerCase(),
      stage: text(v.stage)?.toLowerCase(),
      sourceUrl: text(v.sourceUrl),
      language,
      sourceId,
      slug: text(v.slug)?.toLowerCase(),
    };
    for (const key of Object.keys(input)) if (input[key] === undefined) delete input[key];
    if (!sourceId) reasons.push({ field: 'sourceId', message: 'sourceId is required' });
    const known = new Set(reasons.map((r) => r.field));
    // Names that did not map are already said; an empty list after them is not said twice.
    for (const r of schemaReasons(input)) if (!known.has(r.field)) reasons.push(r);
    if (reasons.length || !sourceId) return { ...place, sourceId: sourceId ?? null, reasons };
    const c = input as unknown as NewCase;
    return {
      ...place,
      sourceId,
      slug: c.slug ?? null,
      fields: {
        title: c.title,
        summary: c.summary,
        body: c.body ?? '',
        countries: [...c.countries].sort(),
        themes: [...c.themes].sort(),
        year: c.year,
        organisation: c.organisation,
        levelOfGovernment: c.levelOfGovernment,
        stage: c.stage,
        sourceUrl: c.sourceUrl ?? null,
        language,
        sourceId,
      },
    };
  };
}

export const isRejected = (row: ImportRow | Rejected): row is Rejected => 'reasons' in row;

/** "line 12", "item 3 (line 40)": where a row is, for the report. */
export function placeOf(place: RowPlace): string {
  if (place.index === null) return `line ${place.line ?? '?'}`;
  return place.line === null ? `item ${place.index}` : `item ${place.index} (line ${place.line})`;
}
