/** A case field's name in the UI language (the merge view and the history name fields by it). */
import { m } from '#lib/paraglide/messages.js';
import type { CaseField } from './case-form.ts';

export function caseFieldLabel(field: CaseField): string {
  switch (field) {
    case 'title':
      return m.caseform_title_label();
    case 'slug':
      return m.caseform_slug_label();
    case 'summary':
      return m.caseform_summary_label();
    case 'body':
      return m.caseform_body_label();
    case 'countries':
      return m.caseform_countries_legend();
    case 'themes':
      return m.caseform_themes_legend();
    case 'year':
      return m.caseform_year_label();
    case 'organisation':
      return m.caseform_organisation_label();
    case 'levelOfGovernment':
      return m.caseform_level_label();
    case 'stage':
      return m.caseform_stage_label();
    case 'sourceUrl':
      return m.caseform_source_label();
    case 'language':
      return m.caseform_language_label();
  }
}
