/**
 * Languages of content: /fr reads a translated case in French and an untranslated one in English,
 * marked lang="en" with a notice; an English page marks a French case and a French post
 * lang="fr"; an organiser translates a case without JavaScript; the case list pages forward and
 * back without JavaScript.
 */
import { expect, test, type BrowserContext } from '@playwright/test';
import { expectAccessible } from './a11y.ts';
import { setRole } from './roles.ts';
import { membersOf, PASSWORD, run } from './people.ts';
import { newCase as createCase } from './threads.ts';

const SHOTS = process.env.E2E_SCREENSHOTS;

const newMember = membersOf('langues');

let organiser: { context: BrowserContext; handle: string };

/** A case written in `language`; its slug. */
const newCase = async (title: string, language: string) =>
  (
    await createCase(organiser, title, {
      prefix: 'l',
      summary:
        language === 'fr'
          ? 'Les habitants votent les projets de leur quartier.'
          : 'Residents vote the projects of their neighbourhood.',
      body:
        language === 'fr'
          ? 'Chaque année, la commune réserve une part de son budget.'
          : 'Every year the town sets aside part of its budget.',
      levelOfGovernment: 'local',
      language,
    })
  ).slug;

test.beforeAll(async ({ browser }) => {
  organiser = await newMember(browser, 'Odile');
  setRole(organiser.handle, 'organiser');
});

test.afterAll(async () => {
  await organiser.context.close();
});

test('/fr reads a translated case in French, an untranslated one in English marked lang="en"', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'fr-FR' });
  const page = await context.newPage();

  await page.goto('/fr/cases/romadecide-viii-district');
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  const title = page.getByRole('heading', { level: 1 });
  await expect(title).toContainText('budget participatif du VIIIe arrondissement');
  await expect(title).not.toHaveAttribute('lang', /.*/);
  await expect(page.getByText('Ce cas est disponible en anglais')).toHaveCount(0);
  await expectAccessible(page);
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/fr-translated.png`, fullPage: true });

  await page.goto('/fr/cases/lab-justice');
  await expect(title).toHaveText('LAB Justice');
  await expect(title).toHaveAttribute('lang', 'en');
  await expect(page.locator('.lead')).toHaveAttribute('lang', 'en');
  await expect(page.getByText('Ce cas est disponible en anglais')).toBeVisible();
  await expectAccessible(page);
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/fr-untranslated.png`, fullPage: true });

  // The case cards of the list read the same way.
  await page.goto('/fr/cases?country=IT');
  await expect(page.locator('#case-link-romadecide-viii-district')).toContainText('budget participatif');
  await expect(page.locator('#case-link-romadecide-viii-district')).not.toHaveAttribute('lang', /.*/);
  await page.goto('/fr/cases?country=PT');
  await expect(page.locator('#case-link-lab-justice')).toHaveAttribute('lang', 'en');
  await expectAccessible(page);

  // A search in French words finds the translation.
  await page.goto(`/fr/search?q=${encodeURIComponent('budgets participatifs')}`);
  await expect(page.locator('#case-link-romadecide-viii-district')).toContainText('budget participatif');
  await context.close();
});

test('an English page marks a French case and a French post lang="fr"', async ({ browser }) => {
  const slug = await newCase('Budget participatif de Lille', 'fr');
  const english = await newCase('Open budget', 'en');
  const member = await newMember(browser, 'Paul');
  const posted = await member.context.request.post(`/api/v1/cases/${english}/posts`, {
    data: { body: 'Nous avons fait la même chose à Lille, avec les conseils de quartier.' },
  });
  expect(posted.status()).toBe(201);
  expect((await posted.json()).language).toBe('fr');
  await member.context.request.post(`/api/v1/cases/${english}/posts`, {
    data: { body: 'We did the same in our town, with the neighbourhood councils.' },
  });

  const page = await member.context.newPage();
  await page.goto(`/cases/${slug}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveAttribute('lang', 'fr');
  await expect(page.getByText('This case is available in French')).toBeVisible();
  await expectAccessible(page);

  await page.goto(`/cases/${english}`);
  await expect(page.getByText('This case is available in French')).toHaveCount(0);
  const french = page.locator('#discussion .markdown', { hasText: 'Nous avons fait la même chose' });
  await expect(french).toHaveAttribute('lang', 'fr');
  const inEnglish = page.locator('#discussion .markdown', { hasText: 'We did the same' });
  await expect(inEnglish).not.toHaveAttribute('lang', /.*/);
  await expectAccessible(page);
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/en-french-post.png`, fullPage: true });
  await member.context.close();
});

test('an organiser translates a case without JavaScript; /fr then reads it in French', async ({ browser }) => {
  const slug = await newCase('Neighbourhood budgets', 'en');
  const context = await browser.newContext({ locale: 'en-GB', javaScriptEnabled: false });
  const login = await context.request.post('/api/v1/auth/login', {
    data: { email: `${organiser.handle}@example.org`, password: PASSWORD },
  });
  expect(login.status()).toBe(200);
  const page = await context.newPage();
  await page.goto(`/cases/${slug}`);
  await page.getByRole('link', { name: 'Translate this case' }).click();
  await expect(page).toHaveURL(new RegExp(`/cases/${slug}/translate$`));
  await page.getByLabel('Title').fill(`Budgets de quartier ${run}`);
  await page.getByLabel('Summary').fill('Les habitants votent les projets de leur quartier.');
  await page.getByLabel('The case in detail').fill('Chaque année, la commune réserve une part de son budget.');
  if (SHOTS) await page.setViewportSize({ width: 360, height: 800 });
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/translate-narrow.png`, fullPage: true });
  await page.getByRole('button', { name: 'Save the translation' }).click();

  await expect(page).toHaveURL(new RegExp(`/fr/cases/${slug}$`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Budgets de quartier ${run}`);
  await expect(page.getByText('Ce cas est disponible en anglais')).toHaveCount(0);
  // The English page still reads the English text.
  await page.goto(`/cases/${slug}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Neighbourhood budgets ${run}`);
  await context.close();
});

test('the case list pages forward and back without JavaScript', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'en-GB', javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/cases');
  const cards = page.locator('.card h3 a');
  await expect(cards).toHaveCount(12);
  const first = await cards.allTextContents();

  await page.getByRole('link', { name: 'Load more cases' }).click();
  await expect(page).toHaveURL(/cursor=/);
  await expect(page.getByText('You are looking at later results.')).toBeVisible();
  const second = await cards.allTextContents();
  expect(second.length).toBeGreaterThan(0);
  expect(second.filter((title) => first.includes(title))).toEqual([]);

  await page.getByRole('link', { name: 'Back to the first results' }).click();
  await expect(page).not.toHaveURL(/cursor=/);
  expect(await cards.allTextContents()).toEqual(first);

  // A sorted list pages the same way ("most discussed" from the home page's link).
  await page.goto('/cases?sort=discussed');
  await page.getByRole('link', { name: 'Load more cases' }).click();
  await expect(page).toHaveURL(/sort=discussed.*cursor=|cursor=.*sort=discussed/);
  await expect(cards.first()).toBeVisible();
  if (SHOTS) await page.setViewportSize({ width: 360, height: 800 });
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/cases-page-2-narrow.png`, fullPage: true });
  await context.close();
});
