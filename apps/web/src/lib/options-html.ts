/**
 * A `<select>` with a long list of options (every country: ~250) as one piece of HTML. Svelte
 * hydrates a keyed `{#each}` of options one element at a time, 20–40 ms of the people page's
 * hydration on this machine; HTML set with `{@html}` is taken over as it is. (The whole select,
 * not only its options: `{@html}` inside a select makes Svelte mark it with `<!>`, which is not
 * valid HTML.) Values and labels are escaped here.
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
