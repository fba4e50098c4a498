import { describe, expect, it } from 'vitest';
import naughty from 'big-list-of-naughty-strings' with { type: 'json' };
import type { Profile, ProfilePatch } from '@opsi/contracts/profiles';
import { countries } from '../../../../../db/seed/countries.ts';
import { members } from '../../../../../db/seed/members.ts';
import { themes } from '../../../../../db/seed/themes.ts';
import { AppError } from '../../platform/errors.ts';
import { appForFile, rejectsWith, uniqueSlug } from '../../testing.ts';
import { expectInertHtml } from '../../testing-html.ts';
import { insertMembers } from './repository.ts';
import { seedDemoMembers, type ProfilesService } from './service.ts';

const app = await appForFile();
const profiles: ProfilesService = app.profiles;

/** A fresh member (no password) to edit; returns their id and handle. */
async function newMember(): Promise<{ id: string; handle: string }> {
  const handle = uniqueSlug('svc');
  await insertMembers(app.database.kysely, [
    {
      handle,
      displayName: 'Service Test',
      email: `${handle}@example.org`,
      headline: 'Original headline',
      organisation: 'Original organisation',
      countryCode: 'PT',
      themes: ['open-government'],
      bio: 'Original *bio*',
      bioHtml: '<p>Original <em>bio</em></p>\n',
      links: [],
      createdAt: new Date(),
    },
  ]);
  const row = await app.database.kysely
    .selectFrom('users')
    .select('id')
    .where('handle', '=', handle)
    .executeTakeFirstOrThrow();
  return { id: row.id, handle };
}

/* eslint-disable no-control-regex -- these find control characters */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const CONTROL_BUT_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
/* eslint-enable no-control-regex */

describe('updateProfile', () => {
  it('trims, renders the bio and returns the updated profile', async () => {
    const { id, handle } = await newMember();
    const updated = await profiles.updateProfile(id, {
      displayName: '\t Zanele  Dube \n',
      headline: '  Policy lab lead  ',
      organisation: ' Municipality of eThekwini (demo) ',
      countryCode: 'ZA',
      bio: '  Hello **world**\n\nSecond paragraph  ',
      themes: ['justice', 'open-government'],
      links: [' https://example.org/zanele '],
    });
    expect(updated).toMatchObject({
      handle,
      displayName: 'Zanele  Dube',
      headline: 'Policy lab lead',
      organisation: 'Municipality of eThekwini (demo)',
      countryCode: 'ZA',
      bio: 'Hello **world**\n\nSecond paragraph',
      bioHtml: '<p>Hello <strong>world</strong></p>\n<p>Second paragraph</p>\n',
      themes: ['justice', 'open-government'],
      links: ['https://example.org/zanele'],
      role: 'member',
      followerCount: 0,
    });
    expect(await profiles.getProfileByUserId(id)).toEqual(updated);
    expect(await profiles.get(handle)).toEqual(updated);
  });

  it('clears the bio HTML with the bio, and the country with null', async () => {
    const { id } = await newMember();
    const updated = await profiles.updateProfile(id, { bio: '   ', countryCode: null, themes: [], links: [] });
    expect(updated).toMatchObject({ bio: '', bioHtml: '', countryCode: null, themes: [], links: [] });
  });

  it('refuses an unknown country or theme as a rule violation and writes nothing', async () => {
    const { id } = await newMember();
    const before = await profiles.getProfileByUserId(id);
    const error = await rejectsWith(
      profiles.updateProfile(id, { headline: 'Not saved', countryCode: 'ZZ', themes: ['justice', 'astrology'] }),
      'rule_violation',
    );
    expect(error.statusCode).toBe(422);
    expect(error.details).toEqual([
      {
        field: 'countryCode',
        code: 'unknown_country',
        message: 'countryCode: "ZZ" is not an ISO 3166-1 country',
        params: { value: 'ZZ' },
      },
      {
        field: 'themes',
        code: 'unknown_theme',
        message: 'themes: "astrology" is not a theme',
        params: { value: 'astrology' },
      },
    ]);
    expect(await profiles.getProfileByUserId(id)).toEqual(before);
  });

  it('checks the limits itself, for callers that bypass the route schema', async () => {
    const { id } = await newMember();
    const before = await profiles.getProfileByUserId(id);
    const cases: [ProfilePatch, string][] = [
      [{ displayName: ' \u200b\u00a0 ' }, 'displayName'],
      [{ displayName: '\u0000\u0001' }, 'displayName'],
      [{ displayName: 'x'.repeat(81) }, 'displayName'],
      [{ headline: 'x'.repeat(141) }, 'headline'],
      [{ organisation: 'x'.repeat(141) }, 'organisation'],
      [{ bio: 'x'.repeat(5001) }, 'bio'],
      [{ countryCode: 'fr' }, 'countryCode'],
      [{ themes: Array.from({ length: 11 }, (_, i) => `theme-${i}`) }, 'themes'],
      [{ themes: ['Bad Slug'] }, 'themes'],
      [{ links: ['javascript:alert(1)'] }, 'links'],
      [{ links: ['https://'] }, 'links'],
      [{ links: ['https://example.org/a b'] }, 'links'],
      [{ links: ['mailto:someone@example.org'] }, 'links'],
      [{ links: Array.from({ length: 6 }, (_, i) => `https://example.org/${i}`) }, 'links'],
    ];
    for (const [patch, field] of cases) {
      const error = await rejectsWith(profiles.updateProfile(id, patch), 'validation_failed');
      expect(
        (error.details as { field: string }[]).map((d) => d.field),
        JSON.stringify(patch),
      ).toContain(field);
    }
    // Length counts characters, not UTF-16 units: 80 emoji are a valid name.
    expect((await profiles.updateProfile(id, { displayName: '😀'.repeat(80) })).displayName).toBe('😀'.repeat(80));
    expect({ ...(await profiles.getProfileByUserId(id)), displayName: before.displayName }).toEqual(before);
  });

  it('answers not_found for a user that does not exist', async () => {
    await rejectsWith(profiles.updateProfile('999999999999', { headline: 'x' }), 'not_found');
    await rejectsWith(profiles.getProfileByUserId('999999999999'), 'not_found');
    await rejectsWith(profiles.getProfileByUserId('not-an-id'), 'not_found');
    await rejectsWith(profiles.get('no-such-member-here'), 'not_found');
  });

  it('keeps markdown output safe from script, event handlers and javascript: links', async () => {
    const { id } = await newMember();
    const attacks = [
      '<script>alert(1)</script>',
      '<img src=x onerror=alert(1)>',
      '<a href="javascript:alert(1)">x</a>',
      '[click](javascript:alert(1))',
      '[click](JaVaScRiPt:alert(1))',
      '[click]( javascript:alert(1))',
      '[click](vbscript:msgbox(1))',
      '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
      '<javascript:alert(1)>',
      '![x](https://example.org/pixel.png)',
      '[x](https://example.org/" onmouseover="alert(1))',
      '<svg onload=alert(1)>',
      '`<script>`',
      '<div style="background:url(javascript:alert(1))">',
    ];
    for (const bio of attacks) {
      const { bioHtml } = await profiles.updateProfile(id, { bio });
      expectInertHtml(bioHtml, bio);
      expect(bioHtml, bio).not.toContain('<img');
    }
  });

  it('never throws unexpectedly on any naughty string in any text field', async () => {
    const { id } = await newMember();
    const fields = ['displayName', 'headline', 'organisation', 'bio'] as const;
    let saved = 0;
    for (const s of naughty) {
      for (const field of fields) {
        let profile: Profile;
        try {
          profile = await profiles.updateProfile(id, { [field]: s });
        } catch (error) {
          expect(error, `${field} ${JSON.stringify(s)}`).toBeInstanceOf(AppError);
          expect((error as AppError).statusCode, `${field} ${JSON.stringify(s)}`).toBeLessThan(500);
          continue;
        }
        saved += 1;
        const value = profile[field];
        // Stored trimmed, without control characters (except a bio's line breaks and tabs).
        expect(value, JSON.stringify(s)).toBe(value.trim());
        expect(value, JSON.stringify(s)).not.toMatch(field === 'bio' ? CONTROL_BUT_LINES : CONTROL);
        // Strings without control characters are kept as typed, trimmed; invisible-only ones become ''.
        if (!CONTROL.test(s)) expect(value).toBe(/^[\s\p{Cf}]*$/u.test(s) ? '' : s.trim());
        if (field === 'bio') expectInertHtml(profile.bioHtml, s);
      }
    }
    expect(saved).toBeGreaterThan(naughty.length * 3);
  });
});

describe('the demo members', () => {
  const CONTINENT: Record<string, string> = {
    FR: 'Europe',
    PL: 'Europe',
    SE: 'Europe',
    GB: 'Europe',
    RO: 'Europe',
    DE: 'Europe',
    NL: 'Europe',
    IT: 'Europe',
    BE: 'Europe',
    NO: 'Europe',
    EE: 'Europe',
    PT: 'Europe',
    ES: 'Europe',
    GH: 'Africa',
    SN: 'Africa',
    NG: 'Africa',
    KE: 'Africa',
    MA: 'Africa',
    ZA: 'Africa',
    CI: 'Africa',
    TZ: 'Africa',
    RW: 'Africa',
    TN: 'Africa',
    JP: 'Asia',
    IN: 'Asia',
    SG: 'Asia',
    BT: 'Asia',
    VN: 'Asia',
    KR: 'Asia',
    JO: 'Asia',
    ID: 'Asia',
    BR: 'South America',
    CO: 'South America',
    CL: 'South America',
    PE: 'South America',
    AR: 'South America',
    MX: 'North America',
    CA: 'North America',
    US: 'North America',
    NZ: 'Oceania',
    AU: 'Oceania',
    FJ: 'Oceania',
  };

  it('are 36 valid, varied, fictional members', () => {
    expect(members).toHaveLength(36);
    const themeSlugs = new Set(themes.map((t) => t.slug));
    const countryCodes = new Set(countries.map((c) => c.code));
    expect(new Set(members.map((m) => m.handle)).size).toBe(36);
    expect(new Set(members.map((m) => m.email)).size).toBe(36);
    for (const m of members) {
      expect(m.handle).toMatch(/^[a-z0-9-]{2,40}$/);
      expect(m.email).toBe(`${m.handle}@example.org`);
      expect(m.displayName.trim()).toBe(m.displayName);
      expect([...m.displayName].length).toBeLessThanOrEqual(80);
      expect([...m.headline].length).toBeLessThanOrEqual(140);
      expect([...m.organisation].length).toBeLessThanOrEqual(140);
      expect(countryCodes.has(m.countryCode), m.countryCode).toBe(true);
      expect(m.themes.length).toBeGreaterThanOrEqual(1);
      expect(m.themes.length).toBeLessThanOrEqual(4);
      for (const t of m.themes) expect(themeSlugs.has(t), t).toBe(true);
      const sentences = m.bio.split(/[.!?](\s|$)/).filter((s) => s.trim().length > 1);
      expect(sentences.length, m.handle).toBeGreaterThanOrEqual(1);
      expect(sentences.length, m.handle).toBeLessThanOrEqual(3);
      for (const link of m.links) expect(link).toMatch(/^https:\/\/example\.org\//);
      for (const link of m.bio.match(/\]\([^)]*\)/g) ?? []) expect(link).toMatch(/^\]\(https:\/\/example\.org\//);
    }
    expect(new Set(members.map((m) => m.countryCode)).size).toBeGreaterThanOrEqual(20);
    expect(new Set(members.map((m) => CONTINENT[m.countryCode]))).toEqual(
      new Set(['Europe', 'Africa', 'Asia', 'South America', 'North America', 'Oceania']),
    );
    // Some bios are in French, for French-speaking members.
    expect(members.filter((m) => /\b(?:je|nous|les|des)\b/i.test(m.bio)).length).toBeGreaterThanOrEqual(4);
  });

  it('are inserted once, without a password, newest first as listed', async () => {
    await seedDemoMembers(app.database);
    expect(await seedDemoMembers(app.database)).toBe(0);
    const rows = await app.database.kysely
      .selectFrom('users')
      .select(['handle', 'password_hash', 'created_at'])
      .where(
        'handle',
        'in',
        members.map((m) => m.handle),
      )
      .execute();
    expect(rows).toHaveLength(36);
    expect(rows.every((r) => r.password_hash === null)).toBe(true);
    const byHandle = new Map(rows.map((r) => [r.handle, r.created_at.getTime()]));
    const times = members.map((m) => byHandle.get(m.handle) ?? 0);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(new Set(times).size).toBe(36);
    const first = members[0]!;
    const profile = await profiles.get(first.handle);
    expect(profile).toMatchObject({ displayName: first.displayName, countryCode: first.countryCode, bio: first.bio });
    expect(profile.bioHtml).toMatch(/^<p>.*<\/p>\n$/s);
  });

  it('seeds custom rows and counts what it inserted', async () => {
    const now = new Date('2026-01-15T12:00:00Z');
    const rows = [0, 1, 2].map((i) => {
      const handle = uniqueSlug(`seed${i}`);
      return {
        handle,
        displayName: `Seeded ${i}`,
        email: `${handle}@example.org`,
        headline: '',
        organisation: '',
        countryCode: 'BV',
        themes: ['justice'],
        bio: `Bio *${i}*`,
        links: [],
      };
    });
    expect(await seedDemoMembers(app.database, { now, members: rows })).toBe(3);
    expect(await seedDemoMembers(app.database, { now, members: rows })).toBe(0);
    const listed = await profiles.list({ country: 'BV', limit: 100 });
    const order = listed.items.map((p) => p.handle).filter((h) => rows.some((r) => r.handle === h));
    expect(order).toEqual(rows.map((r) => r.handle));
    expect((await profiles.get(rows[1]!.handle)).bioHtml).toBe('<p>Bio <em>1</em></p>\n');
    expect(Date.parse(listed.items.find((p) => p.handle === rows[0]!.handle)!.joinedAt)).toBeLessThan(now.getTime());
  });
});
