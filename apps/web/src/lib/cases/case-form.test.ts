import { describe, expect, it } from 'vitest';
import type { CaseDetail } from '@opsi/contracts/cases';
import {
  caseBodyOf,
  caseFormOf,
  checkCaseForm,
  conflictingFields,
  emptyCaseForm,
  mergeCaseForm,
  readCaseForm,
  threeWayMerge,
} from './case-form.ts';

const item: CaseDetail = {
  slug: 'open-budgets',
  title: 'Open budgets',
  summary: 'Citizens decide part of the budget.',
  body: 'First paragraph.',
  bodyHtml: '<p>First paragraph.</p>\n',
  countries: ['FR'],
  themes: ['open-government'],
  year: 2021,
  organisation: 'City of Paris',
  levelOfGovernment: 'local',
  stage: 'diffusion',
  language: 'en',
  postCount: 0,
  lastActivityAt: '2026-01-01T00:00:00.000Z',
  sourceUrl: null,
  followerCount: 0,
  createdAt: '2026-01-01T00:00:00.000Z',
  sourceId: null,
  version: 3,
  proposer: null,
  textLanguage: 'en',
  bodyLanguage: 'en',
  translations: [],
};

describe('the case form', () => {
  it('reads a submitted form into the body the API takes', () => {
    const data = new FormData();
    for (const [k, v] of Object.entries({
      title: ' Open budgets ',
      slug: 'Open-Budgets',
      summary: 'Citizens decide part of the budget.',
      body: 'Line one\r\nline two',
      year: '2021',
      organisation: 'City of Paris',
      levelOfGovernment: 'local',
      stage: 'diffusion',
      sourceUrl: '',
      language: 'fr',
    }))
      data.set(k, v);
    data.append('countries', 'FR');
    data.append('countries', 'BE');
    data.append('themes', 'open-government');
    const values = readCaseForm(data);
    expect(checkCaseForm(values)).toEqual({});
    expect(caseBodyOf(values)).toEqual({
      title: 'Open budgets',
      slug: 'open-budgets',
      summary: 'Citizens decide part of the budget.',
      body: 'Line one\nline two',
      countries: ['FR', 'BE'],
      themes: ['open-government'],
      year: 2021,
      organisation: 'City of Paris',
      levelOfGovernment: 'local',
      stage: 'diffusion',
      language: 'fr',
    });
  });

  it('names what is missing or malformed', () => {
    expect(checkCaseForm({ ...emptyCaseForm(), slug: 'A B', year: '20', sourceUrl: 'ftp://x' })).toEqual({
      title: 'required',
      summary: 'required',
      organisation: 'required',
      slug: 'invalid',
      countries: 'required',
      themes: 'required',
      year: 'invalid',
      sourceUrl: 'invalid',
    });
  });

  it('lists the conflicting fields of a stale edit and merges the choices', () => {
    const current = caseFormOf(item);
    const mine = { ...current, title: 'Open budgets in Paris', countries: ['FR', 'BE'], body: 'First paragraph. ' };
    expect(conflictingFields(mine, current)).toEqual(['title', 'countries']);
    const merged = mergeCaseForm(mine, { ...current, title: 'Participatory budgets' }, new Set(['title'] as const));
    expect(merged.title).toBe('Participatory budgets');
    expect(merged.countries).toEqual(['FR', 'BE']);
  });

  it('merges a stale edit three ways: theirs where only they changed, a conflict where both did', () => {
    const base = caseFormOf(item);
    const current = {
      ...base,
      title: 'Participatory budgets',
      summary: 'Their new summary of the case.',
      year: '2022',
    };
    const mine = { ...base, title: 'Open budgets in Paris', organisation: 'Ville de Paris', year: '2022' };
    const { merged, conflicts, taken } = threeWayMerge(base, mine, current);
    expect(conflicts).toEqual(['title']);
    expect(taken).toEqual(['summary']);
    expect(merged).toMatchObject({
      title: 'Open budgets in Paris',
      summary: 'Their new summary of the case.',
      organisation: 'Ville de Paris',
      year: '2022',
    });
  });
});
