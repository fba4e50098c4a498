/** Shared shapes of the account forms: field errors, the error summary, and the password rules. */
import { PASSWORD_MAX, PASSWORD_MIN } from '@opsi/contracts/accounts';

export { PASSWORD_MAX, PASSWORD_MIN };

/** Error messages by field name, already in the UI language. */
export type FieldErrors = Partial<Record<string, string>>;

/** One line of the error summary: a link to the field (its id) when there is one. */
export interface SummaryItem {
  message: string;
  field?: string;
}

/**
 * The summary's items in the order of the form: `fields` maps field names to input ids, in the
 * order they appear. A form-wide message (`alert`) comes first.
 */
export function summaryItems(
  errors: FieldErrors | undefined,
  fields: [name: string, id: string][],
  alert?: string | null,
): SummaryItem[] {
  const items: SummaryItem[] = alert ? [{ message: alert }] : [];
  if (!errors) return items;
  const listed = new Set<string>();
  for (const [name, id] of fields) {
    const message = errors[name];
    if (message) {
      items.push({ message, field: id });
      listed.add(name);
    }
  }
  for (const [name, message] of Object.entries(errors)) {
    if (message && !listed.has(name)) items.push({ message });
  }
  return items;
}

/** Field names, in the order of the form, for `summaryItems`. */
export function fieldIds(prefix: string, names: string[]): [string, string][] {
  return names.map((name) => [name, `${prefix}-${name}`]);
}
