/**
 * The public transparency report (API.md "Trust and safety"): counts per month, never a person.
 * No handle, id, note or reason's text appears in it, only numbers, months and the closed lists of
 * report reasons and moderation actions.
 */
import { Type, type Static, type TInteger } from 'typebox';
import { Timestamp } from './common.ts';
import { ModerationActions, ReportReasons } from './moderation.ts';

/** A calendar month, UTC: `2026-12`. */
export const Month = Type.String({ pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$', description: 'a month, YYYY-MM (UTC)' });

export const TransparencyFormats = ['json', 'csv'] as const;

export const TransparencyQuery = Type.Object(
  {
    from: Type.Optional(Month),
    to: Type.Optional(Month),
    format: Type.Optional(Type.Enum(TransparencyFormats, { default: 'json' })),
  },
  { additionalProperties: false },
);
export type TransparencyQuery = Static<typeof TransparencyQuery>;

/** A count for each of a closed list of kinds (every kind present, zero when none). */
function counts<const K extends readonly string[]>(keys: K, description: string) {
  const properties = {} as { [P in K[number]]: TInteger };
  for (const key of keys) properties[key as K[number]] = Type.Integer({ minimum: 0 });
  return Type.Object(properties, { description });
}

export const TransparencyMonth = Type.Object({
  month: Month,
  reports: Type.Integer({ minimum: 0, description: 'reports filed this month' }),
  reportsByReason: counts(ReportReasons, 'reports filed this month, by the reason the reporter chose'),
  actions: counts(ModerationActions, 'moderation actions taken this month, by kind (from the moderation log)'),
  resolved: Type.Integer({
    minimum: 0,
    description: 'reported items whose reports were resolved this month (all reports on one item count once)',
  }),
  medianHoursToResolution: Type.Union([Type.Number({ minimum: 0 }), Type.Null()], {
    description:
      'median time from the first report on an item to the resolution of its reports, for the items resolved this month; null when none was',
  }),
  suspensions: Type.Integer({ minimum: 0, description: 'suspensions started this month' }),
  suspensionsUntilLifted: Type.Integer({
    minimum: 0,
    description: 'of those, the suspensions with no end date (until a moderator lifts them)',
  }),
});
export type TransparencyMonth = Static<typeof TransparencyMonth>;

export const TransparencyReport = Type.Object({
  from: Month,
  to: Month,
  generatedAt: Timestamp,
  months: Type.Array(TransparencyMonth, { description: 'every month from `from` to `to`, oldest first' }),
});
export type TransparencyReport = Static<typeof TransparencyReport>;
