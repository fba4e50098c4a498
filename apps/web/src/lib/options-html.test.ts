import { describe, expect, it } from 'vitest';
import { escapeHtml, optionsHtml, radiosHtml, selectHtml } from './options-html.ts';

describe('optionsHtml', () => {
  it('writes one option per value, the selected one marked', () => {
    expect(
      optionsHtml(
        [
          { value: 'FR', label: 'France' },
          { value: 'CI', label: 'Côte d’Ivoire' },
        ],
        'CI',
      ),
    ).toBe('<option value="FR">France</option><option value="CI" selected>Côte d’Ivoire</option>');
  });

  it('escapes values and labels, so no label can open an element or end an attribute', () => {
    const html = optionsHtml([{ value: '"><script>x</script>', label: "<img src=x onerror=alert(1)> & 'q'" }], null);
    expect(html).toBe(
      '<option value="&quot;&gt;&lt;script&gt;x&lt;/script&gt;">&lt;img src=x onerror=alert(1)&gt; &amp; &#39;q&#39;</option>',
    );
    expect(escapeHtml('a&b')).toBe('a&amp;b');
  });

  it('writes nothing for no options', () => {
    expect(optionsHtml([], 'FR')).toBe('');
  });
});

describe('selectHtml', () => {
  it('writes the select with its id and name around the options', () => {
    expect(
      selectHtml(
        'people-country',
        'country',
        [
          { value: '', label: 'All countries' },
          { value: 'FR', label: 'France' },
        ],
        '',
      ),
    ).toBe(
      '<select id="people-country" name="country"><option value="" selected>All countries</option><option value="FR">France</option></select>',
    );
  });
});

describe('radiosHtml', () => {
  it('writes one radio per option in a list item, the selected one checked, counts when given', () => {
    expect(
      radiosHtml(
        'country',
        [
          { value: '', label: 'Any country', count: null },
          { value: 'FR', label: 'France & co', count: 3 },
        ],
        'FR',
      ),
    ).toBe(
      '<li><label class="option"><input type="radio" name="country" value=""><span class="label">Any country</span></label></li>' +
        '<li><label class="option"><input type="radio" name="country" value="FR" checked><span class="label">France &amp; co</span><span class="count">(3)</span></label></li>',
    );
  });
});
