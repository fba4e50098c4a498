/**
 * The one email template, sent through the mailer (nodemailer writes the .eml) and read back with
 * mailparser: a text part and an HTML part, the language, the network's name, one button, the
 * footer, and hostile text escaped.
 */
import { describe, expect, it } from 'vitest';
import { pageLink, renderLetter, say } from './mail-template.ts';
import { outboxSender } from '../testing-mail.ts';

const sent = outboxSender('mail-template');

const hostile = `<img src=x onerror="alert(1)"> & 'quotes' </p><script>x()</script>`;

describe('the email template', () => {
  it('has a text and an HTML part, in the language, with the name, one button and the footer; hostile text stays text', async () => {
    for (const language of ['en', 'fr'] as const) {
      const unsubscribe = pageLink('https://n.example', language, '/unsubscribe/abc?kind=mention');
      const mail = await sent(
        renderLetter({
          language,
          subject: `Subject ${hostile}`,
          blocks: [
            say(`Hello ${hostile},`),
            { lines: [['See ', { href: 'https://n.example/a?b=1&c=2', label: hostile }]] },
          ],
          button: { label: `Open ${hostile}`, href: pageLink('https://n.example', language, '/cases/x') },
          why: [`Why ${hostile}`],
          unsubscribe: { label: 'Stop', href: unsubscribe },
        }),
        { 'List-Unsubscribe': '<https://n.example/api/v1/unsubscribe/abc?kind=mention>' },
      );
      expect(mail.subject).toBe(`Subject ${hostile}`);
      // The plain-text part says everything, the links as addresses.
      expect(mail.text).toContain(`Hello ${hostile},`);
      expect(mail.text).toContain(`Open ${hostile}: ${pageLink('https://n.example', language, '/cases/x')}`);
      expect(mail.text).toContain(
        language === 'fr' ? 'Réseau des innovateurs du secteur public' : 'Public Sector Innovators Network',
      );
      expect(mail.text).toContain(`Stop: ${unsubscribe}`);
      // The HTML part: its language, the network's name, the button, the footer; no markup from the text.
      const html = String(mail.html);
      expect(html).toContain(`<html lang="${language}">`);
      expect(html).toContain(
        language === 'fr' ? 'Réseau des innovateurs du secteur public' : 'Public Sector Innovators Network',
      );
      expect(html).not.toMatch(/<img|<script|onerror="/);
      expect(html).toContain('&#60;img src=x onerror=&#34;alert(1)&#34;&#62; &#38; &#39;quotes&#39;');
      expect(html).toContain('href="https://n.example/a?b=1&#38;c=2"');
      expect([...html.matchAll(/style="display:inline-block/g)]).toHaveLength(1);
      expect(html).toContain(
        `href="${language === 'fr' ? 'https://n.example/fr/cases/x' : 'https://n.example/cases/x'}"`,
      );
      expect(html).toMatch(
        /<footer[^>]*>[\s\S]*Why &#60;img[\s\S]*href="https:\/\/n\.example\/(fr\/)?unsubscribe\/abc\?kind=mention">Stop<\/a>/,
      );
      expect(mail.headerLines.find((h) => h.key === 'list-unsubscribe')?.line).toContain('kind=mention');
    }
  });
});
