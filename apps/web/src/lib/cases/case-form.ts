/**
 * The case form (new and edit): its values as the form holds them (text), read from a submitted
 * form, made from a case, turned into the API's body, and the merge of a stale edit: for each
 * field that differs from the case as it is now, the editor keeps theirs or takes the current one.
 */
import type { CaseSnapshot } from '@opsi/contracts/case-authoring';
import type { LevelOfGovernment, NewCase, Stage } from '@opsi/contracts/cases';
import { LevelsOfGovernment, Stages } from '@opsi/contracts/cases';

export interface CaseFormValues {
  title: string;
  slug: string;
  summary: string;
  body: string;
  countries: string[];
  themes: string[];
  year: string;
  organisation: string;
  levelOfGovernment: string;
  stage: string;
  sourceUrl: string;
  language: string;
}

/** The fields in the order of the form (the merge view and the error summary follow it). */
export const CASE_FIELDS = [
  'title',
  'slug',
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
] as const satisfies readonly (keyof CaseFormValues)[];
export type CaseField = (typeof CASE_FIELDS)[number];

export const CASE_LIMITS = { title: 200, summary: 2000, body: 50000, organisation: 200, note: 500 } as const;

export function emptyCaseForm(): CaseFormValues {
  return {
    title: '',
    slug: '',
    summary: '',
    body: '',
    countries: [],
    themes: [],
    year: String(new Date().getFullYear()),
    organisation: '',
    levelOfGovernment: 'national',
    stage: 'pilot',
    sourceUrl: '',
    language: 'en',
  };
}

/** A case, or one version of it (a revision's fields), as the form holds it. */
export function caseFormOf(
  item: Omit<CaseSnapshot, 'levelOfGovernment' | 'stage'> & { levelOfGovernment: string; stage: string },
): CaseFormValues {
  return {
    title: item.title,
    slug: item.slug,
    summary: item.summary,
    body: item.body,
    countries: [...item.countries],
    themes: [...item.themes],
    year: String(item.year),
    organisation: item.organisation,
    levelOfGovernment: item.levelOfGovernment,
    stage: item.stage,
    sourceUrl: item.sourceUrl ?? '',
    language: item.language,
  };
}

const str = (data: FormData, name: string) => {
  const value = data.get(name);
  return typeof value === 'string' ? value : '';
};
const list = (data: FormData, name: string) =>
  data.getAll(name).filter((v): v is string => typeof v === 'string' && v !== '');

export function readCaseForm(data: FormData): CaseFormValues {
  return {
    title: str(data, 'title'),
    slug: str(data, 'slug').trim().toLowerCase(),
    summary: str(data, 'summary'),
    body: str(data, 'body').replace(/\r\n/g, '\n'),
    countries: list(data, 'countries'),
    themes: list(data, 'themes'),
    year: str(data, 'year').trim(),
    organisation: str(data, 'organisation'),
    levelOfGovernment: str(data, 'levelOfGovernment'),
    stage: str(data, 'stage'),
    sourceUrl: str(data, 'sourceUrl').trim(),
    language: str(data, 'language').trim() || 'en',
  };
}

export type CaseFormProblem = 'required' | 'too_long' | 'invalid';

/** What the form can tell before the API does: missing and malformed fields. */
export function checkCaseForm(values: CaseFormValues): Partial<Record<CaseField, CaseFormProblem>> {
  const problems: Partial<Record<CaseField, CaseFormProblem>> = {};
  for (const field of ['title', 'summary', 'organisation'] as const) {
    if (!values[field].trim()) problems[field] = 'required';
    else if ([...values[field]].length > CASE_LIMITS[field]) problems[field] = 'too_long';
  }
  if ([...values.body].length > CASE_LIMITS.body) problems.body = 'too_long';
  if (values.slug && !/^[a-z0-9-]{2,40}$/.test(values.slug)) problems.slug = 'invalid';
  if (!values.countries.length) problems.countries = 'required';
  if (!values.themes.length) problems.themes = 'required';
  if (!/^\d{4}$/.test(values.year) || Number(values.year) < 1900 || Number(values.year) > 2100)
    problems.year = 'invalid';
  if (!LevelsOfGovernment.includes(values.levelOfGovernment as LevelOfGovernment))
    problems.levelOfGovernment = 'required';
  if (!Stages.includes(values.stage as Stage)) problems.stage = 'required';
  if (values.sourceUrl && !/^https?:\/\/\S+$/i.test(values.sourceUrl)) problems.sourceUrl = 'invalid';
  return problems;
}

/** The API body of a checked form (a new case; an edit sends it with its version). */
export function caseBodyOf(values: CaseFormValues): NewCase {
  return {
    title: values.title.trim(),
    ...(values.slug ? { slug: values.slug } : {}),
    summary: values.summary.trim(),
    body: values.body.trim(),
    countries: values.countries,
    themes: values.themes,
    year: Number(values.year),
    organisation: values.organisation.trim(),
    levelOfGovernment: values.levelOfGovernment as LevelOfGovernment,
    stage: values.stage as Stage,
    ...(values.sourceUrl ? { sourceUrl: values.sourceUrl } : {}),
    language: values.language,
  };
}

function same(a: CaseFormValues[CaseField], b: CaseFormValues[CaseField]): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return [...a].sort().join(',') === [...b].sort().join(',');
  return typeof a === 'string' && typeof b === 'string' ? a.trim() === b.trim() : false;
}

/** The fields where the editor's values and the current case's differ (what the merge view asks about). */
export function conflictingFields(mine: CaseFormValues, current: CaseFormValues): CaseField[] {
  return CASE_FIELDS.filter((field) => !same(mine[field], current[field]));
}

/** The editor's values with the current case's taken for the fields in `takeCurrent`. */
export function mergeCaseForm(
  mine: CaseFormValues,
  current: CaseFormValues,
  takeCurrent: ReadonlySet<CaseField>,
): CaseFormValues {
  const merged = { ...mine };
  for (const field of CASE_FIELDS) {
    if (takeCurrent.has(field)) (merged as Record<CaseField, unknown>)[field] = current[field];
  }
  return merged;
}

/**
 * A stale edit merged three ways against the version it started from (`base`): a field only the
 * others changed takes theirs, a field only this editor changed keeps theirs; `conflicts` are the
 * fields both changed differently (the merge view asks about those, keeping the editor's by default).
 */
export function threeWayMerge(
  base: CaseFormValues,
  mine: CaseFormValues,
  current: CaseFormValues,
): { merged: CaseFormValues; conflicts: CaseField[]; taken: CaseField[] } {
  const mineChanged = new Set(conflictingFields(mine, base));
  const theirsChanged = conflictingFields(current, base);
  const taken = theirsChanged.filter((field) => !mineChanged.has(field));
  const conflicts = theirsChanged.filter((field) => mineChanged.has(field) && !same(mine[field], current[field]));
  return { merged: mergeCaseForm(mine, current, new Set(taken)), conflicts, taken };
}
