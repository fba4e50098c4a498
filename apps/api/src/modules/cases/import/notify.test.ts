import { describe, expect, it } from 'vitest';
import type { Feed, NotificationList } from '@opsi/contracts/follows';
import { appForFile, call, signUp, type Member } from '../../../testing.ts';
import { eventually } from '../../../testing-until.ts';
import { hubAtom } from '../../follows/service.ts';
import { casesJson, generateCases } from './generate.ts';
import { importCases } from './service.ts';

const app = await appForFile();

async function notifications(who: Member): Promise<NotificationList> {
  await app.notifier.poke();
  const res = await call(app, who, { method: 'GET', url: '/api/v1/me/notifications?limit=100' });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<NotificationList>();
}

async function feed(who: Member): Promise<Feed> {
  const res = await call(app, who, { method: 'GET', url: '/api/v1/me/feed?limit=100' });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Feed>();
}

/** N generated cases, all in Iceland (given by its French name) and under one theme. */
function icelandCases(n: number, prefix: string) {
  return generateCases(n, { prefix }).map((c) => ({ ...c, countries: ['Islande'], themes: ['justice'] }));
}

describe('an import tells followers once per hub', () => {
  it('gives a follower of a country one notification and one feed line for N new cases; a re-import tells no one', async () => {
    const [countryFan, themeFan, bystander] = await Promise.all([signUp(app), signUp(app), signUp(app)]);
    await call(app, countryFan, { method: 'PUT', url: '/api/v1/follows/country/IS' });
    await call(app, themeFan, { method: 'PUT', url: '/api/v1/follows/theme/justice' });

    const file = casesJson(icelandCases(12, 'ISL-'));
    const report = await importCases(app.database, file, 'json');
    // One activity per hub: Iceland and the theme, not one per case.
    expect(report).toMatchObject({ inserted: 12, activities: 2 });
    await app.activities.poke();

    const told = await eventually(
      () => notifications(countryFan),
      (n) => n.items.length > 0,
      'the import notification',
      { every: 100 },
    );
    expect(told.items).toHaveLength(1);
    expect(told.items[0]).toMatchObject({ kind: 'new_cases', count: 12, title: 'Iceland', url: '/countries/IS' });
    expect(told.items[0]!.excerpt.split(' · ')).toHaveLength(3);
    const themeTold = (await notifications(themeFan)).items;
    expect(themeTold).toMatchObject([{ kind: 'new_cases', count: 12, url: '/themes/justice' }]);
    expect((await notifications(bystander)).items).toEqual([]);

    const items = (await feed(countryFan)).items;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      verb: 'imported',
      objectType: 'country',
      objectId: 'IS',
      count: 12,
      title: 'Iceland',
      url: '/countries/IS',
      reasons: [{ type: 'country', key: 'IS' }],
    });
    const atom = await hubAtom(app.database, { type: 'country', key: 'IS' }, 'https://example.org');
    expect(atom).toContain('<title>12 new cases in Iceland</title>');

    // The same file again: no activity, so nothing new for anyone.
    const lastId = app.activities.lastId();
    expect(await importCases(app.database, file, 'json')).toMatchObject({ inserted: 0, unchanged: 12, activities: 0 });
    await app.activities.poke();
    expect(app.activities.lastId()).toBe(lastId);
    expect((await notifications(countryFan)).items).toMatchObject([{ kind: 'new_cases', count: 12 }]);
    expect((await feed(countryFan)).items).toHaveLength(1);

    // Three more new cases while the first is unread: the same notification counts them.
    await importCases(app.database, casesJson(icelandCases(3, 'ISL2-')), 'json');
    await app.activities.poke();
    const grown = await eventually(
      () => notifications(countryFan),
      (n) => n.items[0]?.count === 15,
      'the grouped notification',
      { every: 100 },
    );
    expect(grown.items).toHaveLength(1);
  });
});
