/**
 * The first admin's setup link page (/setup/<token>, issue 16), in a browser: signed out it leads to
 * signing in and back; signed in it offers the button, which says why a link is refused (the site
 * has an admin here: the happy path, with a real token from the server's log, is the API's test
 * `modules/accounts/setup/setup.test.ts`); a malformed link says it no longer works. EN and FR,
 * axe-clean, and without JavaScript.
 */
import { expect, test } from '@playwright/test';
import { expectAccessible } from './a11y.ts';
import { newMember, withoutScripts } from './people.ts';
import { setRole } from './roles.ts';

/** Well-formed (43 base64url characters) but never issued. */
const TOKEN = 'a'.repeat(43);

test('the setup link page: sign in first, then the refusal once the site has an admin; a malformed link', async ({
  browser,
}) => {
  const ada = await newMember(browser, 'Ada', { tag: 'setup' });
  const ivo = await newMember(browser, 'Ivo', { tag: 'setup' });
  // An admin exists (whatever the journeys before did), so every setup link is refused.
  setRole(ivo.handle, 'admin');

  const guest = await browser.newContext({ locale: 'en-GB' });
  const page = await guest.newPage();
  await page.goto(`/setup/${TOKEN}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Become the site’s admin');
  await expect(page.getByRole('link', { name: 'Sign in' }).last()).toHaveAttribute(
    'href',
    `/login?redirectTo=%2Fsetup%2F${TOKEN}`,
  );
  await expectAccessible(page);
  await guest.close();

  for (const [prefix, texts] of [
    ['', { button: 'Make me the admin', refused: 'This site has an admin already' }],
    ['/fr', { button: 'Faire de moi l’administrateur', refused: 'Ce site a déjà un administrateur' }],
  ] as const) {
    const signedIn = await ada.context.newPage();
    await signedIn.goto(`${prefix}/setup/${TOKEN}`);
    await expect(signedIn.getByText(`@${ada.handle}`)).toBeVisible();
    await expectAccessible(signedIn);
    await signedIn.getByRole('button', { name: texts.button }).click();
    await expect(signedIn.getByRole('alert')).toContainText(texts.refused);
    await expectAccessible(signedIn);
    await signedIn.close();
  }
  // Nothing changed: Ada is still a member.
  const me = (await (await ada.context.request.get('/api/v1/me')).json()) as { user: { role: string } };
  expect(me.user.role).toBe('member');

  // Without JavaScript, the same refusal; a malformed link says it no longer works.
  const plain = await withoutScripts(browser, ada);
  const nojs = await plain.newPage();
  await nojs.goto(`/setup/${TOKEN}`);
  await nojs.getByRole('button', { name: 'Make me the admin' }).click();
  await expect(nojs.getByRole('alert')).toContainText('This site has an admin already');
  await nojs.goto('/setup/not-a-token');
  await expect(nojs.getByRole('heading', { level: 1 })).toHaveText('This setup link no longer works');
  await expect(nojs.getByRole('button', { name: 'Make me the admin' })).toHaveCount(0);
  await plain.close();
  for (const m of [ada, ivo]) await m.context.close();
});
