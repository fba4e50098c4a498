/** The introductions test kit: members with a country, themes, words and the opt-in, through the API. */
import { expect } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Introduction, MatchList } from '@opsi/contracts/introductions';
import { call, signUp, type Member } from '../../testing.ts';

export interface Profiled {
  country: string;
  themes?: string[];
  headline?: string;
  bio?: string;
  open?: boolean;
  lang?: 'en' | 'fr';
}

/** A member with this profile, opted in unless `open: false`. */
export async function profiled(app: FastifyInstance, p: Profiled): Promise<Member> {
  const who = await signUp(app, p.lang ? { lang: p.lang } : {});
  const res = await call(app, who, {
    method: 'PATCH',
    url: '/api/v1/me/profile',
    payload: {
      countryCode: p.country,
      themes: p.themes ?? [],
      headline: p.headline ?? '',
      bio: p.bio ?? '',
      openToIntroductions: p.open ?? true,
    },
  });
  expect(res.statusCode, res.body).toBe(200);
  return who;
}

export async function follow(app: FastifyInstance, who: Member, type: string, key: string): Promise<void> {
  const res = await call(app, who, { method: 'PUT', url: `/api/v1/follows/${type}/${key}` });
  expect(res.statusCode, res.body).toBeLessThan(300);
}

export async function matchesOf(app: FastifyInstance, who: Member, query = 'limit=50'): Promise<MatchList> {
  const res = await call(app, who, { url: `/api/v1/me/matches?${query}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<MatchList>();
}

export function ask(app: FastifyInstance, who: Member | null, handle: string, message = 'Hello, shall we talk?') {
  return call(app, who, { method: 'POST', url: '/api/v1/introductions', payload: { handle, message } });
}

export async function asked(app: FastifyInstance, who: Member, handle: string): Promise<Introduction> {
  const res = await ask(app, who, handle);
  expect(res.statusCode, res.body).toBe(201);
  return res.json<Introduction>();
}

export function decide(app: FastifyInstance, who: Member | null, id: string, decision: 'accept' | 'decline') {
  return call(app, who, { method: 'POST', url: `/api/v1/introductions/${id}/${decision}` });
}
