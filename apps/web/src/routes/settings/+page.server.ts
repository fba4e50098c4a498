import { fail, redirect } from '@sveltejs/kit';
import type { ProfilePatch } from '@opsi/contracts/profiles';
import { apiFor, must, or404 } from '#lib/api/client.ts';
import type { FieldErrors } from '#lib/forms.ts';
import { href, localName } from '#lib/i18n.ts';
import { characters, COUNTRY, isWebLink, normaliseLink, PROFILE_LIMITS as LIMITS } from '#lib/input-rules.ts';
import { m } from '#lib/paraglide/messages.js';
import { withRedirect } from '#lib/redirect.ts';
import {
  emailProblem,
  formProblem,
  hasErrors,
  newPasswordProblem,
  passwordRuleMessage,
  secret,
  text,
} from '#lib/server/forms.ts';
import { loadReference } from '#lib/server/reference.ts';
import { SESSION_COOKIES } from '#lib/server/session.ts';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const SESSION_ID = /^[0-9a-f]{16}$/;

function toLogin(event: Pick<RequestEvent, 'url' | 'locals'>): never {
  redirect(303, withRedirect(href('/login', event.locals.locale), event.url.pathname));
}

export const load: PageServerLoad = async (event) => {
  const { locals } = event;
  const me = locals.me;
  if (!me) toLogin(event);
  const api = apiFor(event);
  const [sessions, reference, account] = await Promise.all([
    or404(api.GET('/api/v1/me/sessions')),
    loadReference(api),
    or404(api.GET('/api/v1/me/email')),
  ]);

  const collator = new Intl.Collator(locals.locale);
  return {
    profile: me.profile,
    /** Only this page shows the account's email. */
    email: account.email,
    /** The new address waiting for its confirmation link to be used, or null. */
    pendingEmail: account.pendingEmail,
    sessions: sessions.items.sort(
      (a, b) => Number(b.current) - Number(a.current) || b.lastUsedAt.localeCompare(a.lastUsedAt),
    ),
    countries: [...reference.countries.values()]
      .map((country) => ({ value: country.code, label: localName(country, locals.locale) }))
      .sort((a, b) => collator.compare(a.label, b.label)),
    themes: reference.themes
      .map((theme) => ({ value: theme.slug, label: localName(theme, locals.locale) }))
      .sort((a, b) => collator.compare(a.label, b.label)),
  };
};

export const actions: Actions = {
  profile: async (event) => {
    const { request, locals } = event;
    if (!locals.me) toLogin(event);
    const data = await request.formData();
    const values = {
      displayName: text(data, 'displayName'),
      headline: text(data, 'headline'),
      organisation: text(data, 'organisation'),
      countryCode: text(data, 'countryCode'),
      bio: (data.get('bio') as string | null)?.replace(/\r\n?/g, '\n').trim() ?? '',
      themes: data.getAll('themes').filter((value): value is string => typeof value === 'string'),
      links: data
        .getAll('links')
        .map((value) => (typeof value === 'string' ? normaliseLink(value.trim()) : ''))
        .slice(0, LIMITS.links),
    };

    const errors: FieldErrors = {};
    if (!values.displayName) errors.displayName = m.field_name_missing();
    else if (characters(values.displayName) > LIMITS.displayName)
      errors.displayName = m.field_name_too_long({ max: LIMITS.displayName });
    if (characters(values.headline) > LIMITS.headline) errors.headline = m.field_too_long({ max: LIMITS.headline });
    if (characters(values.organisation) > LIMITS.organisation)
      errors.organisation = m.field_too_long({ max: LIMITS.organisation });
    if (characters(values.bio) > LIMITS.bio) errors.bio = m.field_bio_too_long({ max: LIMITS.bio });
    if (values.countryCode && !COUNTRY.test(values.countryCode)) errors.countryCode = m.field_country_invalid();
    if (new Set(values.themes).size > LIMITS.themes) errors.themes = m.field_themes_too_many({ max: LIMITS.themes });
    values.links.forEach((link, index) => {
      if (link && !isWebLink(link)) errors[`links.${index}`] = m.field_link_invalid();
    });
    if (hasErrors(errors)) return fail(400, { form: 'profile' as const, values, errors, alert: null });

    const patch: ProfilePatch = {
      displayName: values.displayName,
      headline: values.headline,
      organisation: values.organisation,
      countryCode: values.countryCode || null,
      bio: values.bio,
      themes: [...new Set(values.themes)],
      links: values.links.filter(Boolean),
    };
    try {
      const profile = await must(apiFor(event).PATCH('/api/v1/me/profile', { body: patch }));
      // The header and this page, rendered next, show the new name.
      locals.me = { ...locals.me, profile, user: { ...locals.me.user, displayName: profile.displayName } };
    } catch (error) {
      const problem = formProblem(error, ({ field }) => {
        if (field === 'countryCode') return m.field_country_invalid();
        if (field === 'themes') return m.field_themes_invalid();
        if (field === 'links') return m.field_link_invalid();
        return undefined;
      });
      if (problem.errors.links) {
        problem.errors['links.0'] = problem.errors.links;
        delete problem.errors.links;
      }
      return fail(problem.status, { form: 'profile' as const, values, errors: problem.errors, alert: problem.alert });
    }
    return { form: 'profile' as const, saved: true };
  },

  email: async (event) => {
    const { request, locals } = event;
    if (!locals.me) toLogin(event);
    const data = await request.formData();
    const email = text(data, 'email');
    const currentPassword = secret(data, 'currentPassword');
    const values = { email };

    const errors: FieldErrors = {};
    errors.email = emailProblem(email) ?? undefined;
    if (!errors.email && email.toLowerCase() === locals.me.email.toLowerCase()) errors.email = m.field_email_same();
    if (!currentPassword) errors.currentPassword = m.field_current_password_missing();
    if (hasErrors(errors)) return fail(400, { form: 'email' as const, values, errors, alert: null });

    try {
      // Nothing changes yet: the new address gets a link to confirm, the current one is told.
      await must(apiFor(event).POST('/api/v1/me/email', { body: { email, currentPassword } }));
    } catch (error) {
      const problem = formProblem(error, ({ field }, apiError) => {
        if (field === 'currentPassword') return m.field_current_password_wrong();
        if (field === 'email') {
          if (apiError.code === 'conflict') return m.field_email_taken();
          return apiError.code === 'rule_violation' ? m.field_email_same() : m.field_email_invalid();
        }
        return undefined;
      });
      return fail(problem.status, { form: 'email' as const, values, errors: problem.errors, alert: problem.alert });
    }
    return { form: 'email' as const, saved: true, sentTo: email };
  },

  password: async (event) => {
    const { request, locals } = event;
    if (!locals.me) toLogin(event);
    const data = await request.formData();
    const currentPassword = secret(data, 'currentPassword');
    const newPassword = secret(data, 'newPassword');

    const errors: FieldErrors = {};
    if (!currentPassword) errors.currentPassword = m.field_current_password_missing();
    errors.newPassword = newPasswordProblem(newPassword) ?? undefined;
    if (hasErrors(errors)) return fail(400, { form: 'password' as const, values: {}, errors, alert: null });

    try {
      await must(apiFor(event).POST('/api/v1/me/password', { body: { currentPassword, newPassword } }));
    } catch (error) {
      const problem = formProblem(error, (said) => {
        if (said.field === 'currentPassword') return m.field_current_password_wrong();
        if (said.field === 'newPassword') return passwordRuleMessage(said);
        return undefined;
      });
      return fail(problem.status, {
        form: 'password' as const,
        values: {},
        errors: problem.errors,
        alert: problem.alert,
      });
    }
    return { form: 'password' as const, saved: true };
  },

  revoke: async (event) => {
    const { request, locals, cookies } = event;
    if (!locals.me) toLogin(event);
    const data = await request.formData();
    const id = text(data, 'id');
    const device = text(data, 'device').slice(0, 100);
    if (!SESSION_ID.test(id)) {
      return fail(400, { form: 'sessions' as const, values: {}, errors: {} as FieldErrors, alert: m.form_failed() });
    }
    try {
      await must(apiFor(event).DELETE('/api/v1/me/sessions/{id}', { params: { path: { id } } }));
    } catch (error) {
      const problem = formProblem(error);
      // Already gone: that is what was asked.
      if (problem.status !== 404) {
        return fail(problem.status, { form: 'sessions' as const, values: {}, errors: {}, alert: problem.alert });
      }
    }
    // This very session (the API cleared its cookie): signed out.
    if (!SESSION_COOKIES.some((name) => cookies.get(name))) redirect(303, href('/', locals.locale));
    return { form: 'sessions' as const, saved: true, device };
  },
};
