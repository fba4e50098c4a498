import { fail } from '@sveltejs/kit';
import type { ProfilePatch } from '@opsi/contracts/profiles';
import { apiFor, must } from '#lib/api/client.ts';
import type { FieldErrors } from '#lib/forms.ts';
import { localName } from '#lib/i18n.ts';
import { characters, COUNTRY, isWebLink, normaliseLink, PROFILE_LIMITS as LIMITS } from '#lib/input-rules.ts';
import { m } from '#lib/paraglide/messages.js';
import { formProblem, hasErrors, text } from '#lib/server/forms.ts';
import { loadReference } from '#lib/server/reference.ts';
import { signedIn } from '#lib/server/signed-in.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { locals } = event;
  const me = signedIn(event);
  const reference = await loadReference(apiFor(event));

  const collator = new Intl.Collator(locals.locale);
  return {
    profile: me.profile,
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
    const me = signedIn(event);
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
      openToIntroductions: data.get('openToIntroductions') === 'on',
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
    if (hasErrors(errors)) return fail(400, { values, errors, alert: null });

    const patch: ProfilePatch = {
      displayName: values.displayName,
      headline: values.headline,
      organisation: values.organisation,
      countryCode: values.countryCode || null,
      bio: values.bio,
      themes: [...new Set(values.themes)],
      links: values.links.filter(Boolean),
      openToIntroductions: values.openToIntroductions,
    };
    try {
      const profile = await must(apiFor(event).PATCH('/api/v1/me/profile', { body: patch }));
      // The header and this page, rendered next, show the new name.
      locals.me = { ...me, profile, user: { ...me.user, displayName: profile.displayName } };
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
      return fail(problem.status, { values, errors: problem.errors, alert: problem.alert });
    }
    return { saved: true };
  },
};
