/**
 * How a form field ties its control to its hint and error (the component is
 * `components/Field.svelte`): the hint is `{id}-hint`, the error `{id}-error`, and the control (or,
 * for a group of controls, its fieldset) is described by those that are shown.
 */

/** What a field's control spreads on itself. */
export interface ControlAttributes {
  id?: string;
  'aria-describedby'?: string;
  'aria-invalid'?: 'true';
  'aria-required'?: 'true';
}

export interface FieldState {
  /** Several controls in a fieldset: the fieldset is described, each control keeps its own id. */
  group: boolean;
  hint?: string | null | undefined;
  error?: string | null | undefined;
  required: boolean;
}

/** The ids of the hint and the error shown, in that order (undefined when neither is). */
export function describedBy(id: string, { hint, error }: Pick<FieldState, 'hint' | 'error'>): string | undefined {
  return [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
}

/** The attributes of the field's control: its id and description unless the field is a group. */
export function controlAttributes(id: string, field: FieldState): ControlAttributes {
  return {
    ...(field.group ? {} : { id, 'aria-describedby': describedBy(id, field) }),
    'aria-invalid': field.error ? 'true' : undefined,
    'aria-required': field.required ? 'true' : undefined,
  };
}
