/** Cases and posts made through the API for the journeys, each with a name unique to this run. */
import { expect, type BrowserContext } from '@playwright/test';
import { run } from './people.ts';

export interface NewCase {
  slug: string;
  title: string;
}

export interface CaseFields {
  /** Starts the slug: one per spec, so two specs' cases of the same title never meet. */
  prefix: string;
  summary: string;
  body?: string;
  countries?: string[];
  themes?: string[];
  levelOfGovernment?: string;
  language?: string;
}

/** A case published by `organiser` (an organiser's context), titled `title` and this run. */
export async function newCase(
  organiser: { context: BrowserContext },
  title: string,
  { prefix, countries = ['FR'], themes = ['citizen-engagement'], levelOfGovernment = 'national', ...rest }: CaseFields,
): Promise<NewCase> {
  const slug = `${prefix}-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${run}`
    .slice(0, 40)
    .replace(/(?<!-)-+$/, '');
  const full = `${title} ${run}`;
  const response = await organiser.context.request.post('/api/v1/cases', {
    data: {
      slug,
      title: full,
      countries,
      themes,
      year: 2025,
      organisation: 'Test organisation',
      levelOfGovernment,
      stage: 'pilot',
      ...rest,
    },
  });
  expect(response.status(), await response.text()).toBe(201);
  return { slug, title: full };
}

/** A post by `member` in the case's thread (a reply with `parentId`); its id. */
export async function post(
  member: { context: BrowserContext },
  slug: string,
  body: string,
  parentId?: string,
): Promise<string> {
  const response = await member.context.request.post(`/api/v1/cases/${slug}/posts`, {
    data: { body, ...(parentId ? { parentId } : {}) },
  });
  expect(response.status(), await response.text()).toBe(201);
  return ((await response.json()) as { id: string }).id;
}
