/**
 * The one template of every email: the network's name, the paragraphs, one clear button, and a
 * footer saying why the reader got it (with the unsubscribe link where there is one), rendered
 * as plain text and as HTML in the reader's language (`<html lang>`). Everything said is text,
 * escaped here; only a block given as `html` (already sanitised, e.g. an organiser's message
 * rendered from markdown) goes in as it is.
 */
import { escapeHtml } from '@opsi/common/escape';

export type MailLanguage = 'en' | 'fr';

/** A piece of a line: text or a link. */
export type Piece = string | { href: string; label: string };
export type Line = Piece[];
/** Lines shown together (a paragraph), or a block of sanitised HTML with its plain text. */
export type Block = { lines: Line[] } | { html: string; text: string };

export interface Letter {
  subject: string;
  text: string;
  html: string;
}

export interface LetterParts {
  language: MailLanguage;
  subject: string;
  blocks: Block[];
  /** The one thing to do, as a button (and as "label: address" in the text part). */
  button?: { label: string; href: string };
  /** Why the reader gets this email. */
  why: Line;
  /** Where to stop such emails in one click, when they are a notification, a digest or a notice. */
  unsubscribe?: { label: string; href: string };
}

export const NETWORK_NAME: Record<MailLanguage, string> = {
  en: 'Public Sector Innovators Network',
  fr: 'Réseau des innovateurs du secteur public',
};

/** Where a page is in a language: /cases/x, or /fr/cases/x in French. */
export function pageLink(origin: string, language: MailLanguage, path: string): string {
  if (language === 'fr') return `${origin}/fr${path === '/' ? '' : path}`;
  return `${origin}${path}`;
}

/** One paragraph of plain lines. */
export const say = (...lines: string[]): Block => ({ lines: lines.map((l) => [l]) });

const pieceText = (p: Piece) => (typeof p === 'string' ? p : p.label === p.href ? p.href : `${p.label} <${p.href}>`);
const pieceHtml = (p: Piece) =>
  typeof p === 'string' ? escapeHtml(p) : `<a href="${escapeHtml(p.href)}">${escapeHtml(p.label)}</a>`;

export function renderLetter({ language, subject, blocks, button, why, unsubscribe }: LetterParts): Letter {
  const name = NETWORK_NAME[language];
  const footerLines: Line[] = [why, ...(unsubscribe ? [[`${unsubscribe.label}: `, unsubscribe.href]] : [])];
  const text = [
    ...blocks.map((b) => ('html' in b ? b.text : b.lines.map((l) => l.map(pieceText).join('')).join('\n'))),
    ...(button ? [`${button.label}: ${button.href}`] : []),
    `—\n${name}\n${footerLines.map((l) => l.map(pieceText).join('')).join('\n')}`,
  ].join('\n\n');

  const body = blocks
    .map((b) =>
      'html' in b
        ? `<div>${b.html}</div>`
        : `<p style="margin:0 0 1em">${b.lines.map((l) => l.map(pieceHtml).join('')).join('<br>\n')}</p>`,
    )
    .join('\n');
  const action = button
    ? `<p style="margin:1.5em 0"><a href="${escapeHtml(button.href)}" style="display:inline-block;padding:0.75em 1.25em;background:#1a4f8b;color:#ffffff;font-weight:bold;text-decoration:none;border-radius:4px">${escapeHtml(button.label)}</a></p>\n`
    : '';
  const stop = unsubscribe
    ? `<br>\n<a href="${escapeHtml(unsubscribe.href)}">${escapeHtml(unsubscribe.label)}</a>`
    : '';
  const html = `<!doctype html>
<html lang="${language}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(subject)}</title></head>
<body style="margin:0;padding:0;background:#ffffff">
<div role="article" aria-label="${escapeHtml(subject)}" style="font-family:system-ui,-apple-system,'Segoe UI',sans-serif;font-size:16px;line-height:1.5;color:#1a1a1a;max-width:40rem;margin:0 auto;padding:1rem">
<p style="margin:0 0 1.5em;font-weight:bold;color:#1a4f8b">${escapeHtml(name)}</p>
${body}
${action}<footer style="margin-top:2em;padding-top:1em;border-top:1px solid #cccccc;font-size:0.875em;color:#4a4a4a">
<p style="margin:0">${why.map(pieceHtml).join('')}${stop}</p>
</footer>
</div>
</body>
</html>
`;
  return { subject, text: `${text}\n`, html };
}
