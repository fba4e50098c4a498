/**
 * Long lists of choices as one piece of HTML: a `<select>` of every country (~250 options), the
 * case filters' radio buttons (~70). Svelte hydrates a keyed `{#each}` one element at a time,
 * 20–40 ms of a page's hydration on this machine (four times that on a slow phone); HTML set with
 * `{@html}` is taken over as it is. (A whole select, not only its options: `{@html}` inside a select
 * makes Svelte mark it with `<!>`, which is not valid HTML.) Values and labels are escaped here.
 */
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char]!);
}

export interface Option {
  value: string;
  label: string;
}

/** `<option>`s for `options`, the one whose value is `selected` marked so. */
export function optionsHtml(options: readonly Option[], selected: string | null): string {
  return options
    .map(
      ({ value, label }) =>
        `<option value="${escapeHtml(value)}"${value === selected ? ' selected' : ''}>${escapeHtml(label)}</option>`,
    )
    .join('');
}

/** A `<select>` named `name` with the element id `id`, offering `options`. */
export function selectHtml(id: string, name: string, options: readonly Option[], selected: string | null): string {
  return `<select id="${escapeHtml(id)}" name="${escapeHtml(name)}">${optionsHtml(options, selected)}</select>`;
}

export interface CountedOption extends Option {
  /** Matching items, shown as "(3)"; null for none shown (the "any" choice). */
  count: number | null;
}

/** Radio buttons named `name`, one list item each, the one whose value is `selected` checked. */
export function radiosHtml(name: string, options: readonly CountedOption[], selected: string): string {
  return options
    .map(
      ({ value, label, count }) =>
        `<li><label class="option"><input type="radio" name="${escapeHtml(name)}" value="${escapeHtml(value)}"` +
        `${value === selected ? ' checked' : ''}><span class="label">${escapeHtml(label)}</span>` +
        `${count === null ? '' : `<span class="count">(${count})</span>`}</label></li>`,
    )
    .join('');
}
