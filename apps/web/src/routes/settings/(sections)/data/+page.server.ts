import { fail, redirect } from '@sveltejs/kit';
import { apiFor, must } from '#lib/api/client.ts';
import type { FieldErrors } from '#lib/forms.ts';
import { href } from '#lib/i18n.ts';
import { m } from '#lib/paraglide/messages.js';
import { formProblem, hasErrors, secret } from '#lib/server/forms.ts';
import { dropSessionCookies } from '#lib/server/session.ts';
import { signedIn } from '#lib/server/signed-in.ts';
import type { Actions, PageServerLoad } from './$types';

type PostsChoice = 'anonymise' | 'delete';
const isChoice = (value: unknown): value is PostsChoice => value === 'anonymise' || value === 'delete';

export const load: PageServerLoad = (event) => ({
  /** Whose password this is, for password managers. */
  email: signedIn(event).email,
});

export const actions: Actions = {
  /** Step one: what becomes of the posts. Nothing is deleted yet: the page asks to confirm. */
  review: async (event) => {
    signedIn(event);
    const posts = (await event.request.formData()).get('posts');
    if (!isChoice(posts)) return fail(400, { errors: { posts: m.data_posts_missing() } as FieldErrors, alert: null });
    return { review: posts };
  },

  /** Step two: with the password, the account goes; the person lands on the home page, signed out. */
  delete: async (event) => {
    const { cookies, url, locals } = event;
    signedIn(event);
    const data = await event.request.formData();
    const posts = data.get('posts');
    const password = secret(data, 'password');
    if (!isChoice(posts)) return fail(400, { errors: { posts: m.data_posts_missing() } as FieldErrors, alert: null });
    const errors: FieldErrors = {};
    if (!password) errors.password = m.data_password_missing();
    if (hasErrors(errors)) return fail(400, { errors, alert: null, review: posts });
    try {
      await must(apiFor(event).DELETE('/api/v1/me', { body: { password, posts } }));
    } catch (error) {
      const problem = formProblem(error, (said) =>
        said.field === 'password' && said.code === 'password_incorrect' ? m.data_password_wrong() : undefined,
      );
      const { account, ...fields } = problem.errors;
      return fail(problem.status, { errors: fields, alert: account ?? problem.alert, review: posts });
    }
    dropSessionCookies(cookies, url);
    redirect(303, `${href('/', locals.locale)}?account=deleted`);
  },
};
