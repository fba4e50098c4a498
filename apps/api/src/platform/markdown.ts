/**
 * The one markdown renderer and its allowlist, for bios and posts: raw HTML is escaped, images are
 * off (no tracking pixels), links may only be http(s) or mailto and carry rel="nofollow ugc
 * noopener". `@handle` of a known member becomes a link to their profile, `#slug` of a known case a
 * link to the case (both as typed by the composer's suggestions). Rendered once on write
 * and stored beside the source, with a plain-text excerpt for feeds, notifications and digests,
 * and read as plain text that keeps its shape for calendars (markdownToText).
 *
 * A render has a work budget. markdown-it's `link` rule finds the end of a label by scanning with
 * `inline.skipToken`, which tries the `link` rule again at every nested `[`, down to `maxNesting`
 * levels: a run of unmatched `[` cost about `maxNesting` scan steps per character (100 with the
 * default options: 2 million steps, 130–300 ms, for 20,000 `[`). Nesting is capped at 20 (the
 * CommonMark preset's value) and every render may take at most a few label-scan steps per
 * character of source (ordinary posts take well under one); past that, the rest of the text has
 * no further links, as markdown-it itself does past `maxNesting`, so a render stays linear.
 */
import MarkdownIt from 'markdown-it';

const md = new MarkdownIt({ html: false, linkify: true, breaks: true, typographer: false, maxNesting: 20 });
md.disable(['image', 'table']);

type Token = ReturnType<typeof md.parse>[number];
type InlineState = Parameters<typeof md.inline.skipToken>[0];

/** Label-scan steps a render may take: per character of source, plus a floor for short texts. */
const SCAN_STEPS_PER_CHAR = 2;
const SCAN_STEPS_FLOOR = 1000;

/** The longest excerpt stored with a post (feeds shorten it further). */
export const EXCERPT_MAX = 500;

const ALLOWED_LINK = /^(?:https?:\/\/|mailto:)/i;
md.validateLink = (url: string) => ALLOWED_LINK.test(url.trim());

const MENTION = /(^|[^\w@/.-])@([a-z\d-]{2,40})(?![a-z\d-])/gi;
/** `#slug`: lowercase as slugs are; not inside a word, an address (`/#x`) or an entity (`&#35;`). */
const CASE_REFERENCE = /(^|[^\w@/.#&-])#([a-z\d-]{2,40})(?![\w-])/g;

/** What a render carries (a type, not an interface: markdown-it wants an indexable object). */
type Env = {
  mentions?: ReadonlySet<string> | undefined;
  /** The case slugs that exist (`#slug` becomes a link to the case). */
  cases?: ReadonlySet<string> | undefined;
  /** Label-scan steps this render may take, and has taken so far. */
  scanBudget?: number;
  scanSteps?: number;
  /** Given the text tokens as they are before markdown-it joins escapes back into them. */
  scanText?: (text: string, before: string) => void;
};

const skipToken = md.inline.skipToken.bind(md.inline);
md.inline.skipToken = (state: InlineState) => {
  const env = state.env as Env;
  env.scanSteps = (env.scanSteps ?? 0) + 1;
  // Out of budget: "no token ends before the end", markdown-it's own answer past maxNesting.
  if (env.scanSteps > (env.scanBudget ?? 0)) state.pos = state.posMax;
  else skipToken(state);
};

function parse(source: string, env: Env): Token[] {
  env.scanBudget = SCAN_STEPS_FLOOR + SCAN_STEPS_PER_CHAR * source.length;
  env.scanSteps = 0;
  return md.parse(source, env);
}

/**
 * Text tokens outside links (code spans and blocks are other token types, so mentions skip them),
 * as they are before markdown-it's `text_join`: an escaped `\\#` or `\\@` (or an entity) is a token of
 * its own then, so it never starts a case link or a mention. `before` is the character just before
 * the token (the end of an escape or entity), which the patterns look at.
 */
function* plainText(tokens: Token[]): Generator<{ children: Token[]; index: number; before: string }> {
  for (const block of tokens) {
    if (block.type !== 'inline' || !block.children) continue;
    let depth = 0;
    for (let index = 0; index < block.children.length; index += 1) {
      const token = block.children[index]!;
      if (token.type === 'link_open') depth += 1;
      else if (token.type === 'link_close') depth -= 1;
      else if (token.type === 'text' && depth === 0) {
        const previous = block.children[index - 1];
        const before = previous?.type === 'text_special' ? previous.content.slice(-1) : '';
        yield { children: block.children, index, before };
      }
    }
  }
}

/** The matches of a pattern in a text token, `before` counted as the character in front of it. */
function* matchesIn(text: string, before: string, pattern: RegExp): Generator<{ start: number; name: string }> {
  for (const match of (before + text).matchAll(pattern)) {
    const start = match.index + match[1]!.length - before.length;
    // A mark in `before` is the escaped or entity one: not a mention or a case.
    if (start >= 0) yield { start, name: match[2]! };
  }
}

/** A link the renderer makes itself (a mention or a case): not counted as a link, no rel="nofollow". */
function isOwnLink(token: Token): boolean {
  return Boolean((token.meta as { ownLink?: boolean } | null)?.ownLink);
}

interface OwnLink {
  start: number;
  end: number;
  href: string;
  className: string;
  text: string;
}

/** The mentions and case references of one text token that name a known member or case, in order. */
function ownLinks(text: string, before: string, env: Env): OwnLink[] {
  const found: OwnLink[] = [];
  for (const { start, name } of env.mentions?.size ? matchesIn(text, before, MENTION) : []) {
    const handle = name.toLowerCase();
    if (!env.mentions!.has(handle)) continue;
    found.push({
      start,
      end: start + 1 + handle.length,
      href: `/people/${handle}`,
      className: 'mention',
      text: `@${handle}`,
    });
  }
  for (const { start, name: slug } of env.cases?.size ? matchesIn(text, before, CASE_REFERENCE) : []) {
    if (!env.cases!.has(slug)) continue;
    found.push({
      start,
      end: start + 1 + slug.length,
      href: `/cases/${slug}`,
      className: 'case-link',
      text: `#${slug}`,
    });
  }
  return found.sort((a, b) => a.start - b.start);
}

// Before `text_join`, while escapes are tokens of their own (see plainText).
md.core.ruler.before('text_join', 'mentions', (state) => {
  const env = state.env as Env;
  if (env.scanText) {
    for (const { children, index, before } of plainText(state.tokens)) env.scanText(children[index]!.content, before);
  }
  if (!env.mentions?.size && !env.cases?.size) return;
  for (const { children, index, before } of [...plainText(state.tokens)].reverse()) {
    const text = children[index]!.content;
    const parts: Token[] = [];
    const textToken = (content: string) => Object.assign(new state.Token('text', '', 0), { content });
    let last = 0;
    for (const link of ownLinks(text, before, env)) {
      if (link.start < last) continue;
      if (link.start > last) parts.push(textToken(text.slice(last, link.start)));
      const open = new state.Token('link_open', 'a', 1);
      open.attrs = [
        ['href', link.href],
        ['class', link.className],
      ];
      open.meta = { ownLink: true };
      parts.push(open, textToken(link.text), new state.Token('link_close', 'a', -1));
      last = link.end;
    }
    if (!parts.length) continue;
    if (last < text.length) parts.push(textToken(text.slice(last)));
    children.splice(index, 1, ...parts);
  }
});

const defaultLinkOpen =
  md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  const token = tokens[idx];
  if (token && !isOwnLink(token)) token.attrSet('rel', 'nofollow ugc noopener');
  return defaultLinkOpen(tokens, idx, options, env, self);
};

/** Renders markdown; `mentions` are the handles (lowercase) that exist and become profile links. */
export function renderMarkdown(source: string, mentions?: ReadonlySet<string>): string {
  return renderPost(source, mentions).html;
}

/**
 * A post rendered once: its HTML, its plain-text excerpt (at most `EXCERPT_MAX` characters) and
 * how many links it holds (written or bare web addresses; @mentions and #case links are not counted).
 * `cases` are the slugs of the cases that exist (their `#slug` becomes a link to the case).
 */
export function renderPost(
  source: string,
  mentions?: ReadonlySet<string>,
  cases?: ReadonlySet<string>,
): { html: string; excerpt: string; links: number } {
  const env: Env = { mentions, cases };
  const tokens = parse(source, env);
  let links = 0;
  for (const token of tokens) {
    for (const child of token.children ?? []) {
      if (child.type === 'link_open' && !isOwnLink(child)) links += 1;
    }
  }
  return { html: md.renderer.render(tokens, md.options, env), excerpt: excerptOfTokens(tokens, EXCERPT_MAX), links };
}

/** The label-scan steps one render of `source` takes (what the budget bounds; for tests). */
export function renderWork(source: string): number {
  const env: Env = {};
  parse(source, env);
  return env.scanSteps ?? 0;
}

/**
 * Plain text of parsed markdown, in one pass over the tokens: the words of text, links (not their
 * addresses), code spans and blocks; no markup; blocks and line breaks become spaces; control
 * characters and runs of white space become one space. Cut at `max` characters with "…".
 */
function excerptOfTokens(tokens: Token[], max: number): string {
  const parts: string[] = [];
  let length = 0;
  const add = (text: string) => {
    if (length > max) return;
    parts.push(text);
    length += text.length;
  };
  for (const token of tokens) {
    if (length > max) break;
    if (token.type === 'inline') {
      for (const child of token.children ?? []) {
        if (length > max) break;
        if (child.type === 'text' || child.type === 'code_inline') add(child.content);
        else if (child.type === 'softbreak' || child.type === 'hardbreak') add(' ');
      }
    } else if (token.type === 'fence' || token.type === 'code_block') add(` ${token.content} `);
    else if (token.nesting !== 1) add(' ');
  }
  return shortenText(
    parts
      .join('')
      // eslint-disable-next-line no-control-regex -- control characters become spaces in an excerpt
      .replace(/[\s\u0000-\u0008\u000e-\u001f\u007f]+/g, ' ')
      .trim(),
    max,
  );
}

/** The plain-text excerpt of markdown (see renderPost). */
export function excerptOf(source: string, max = EXCERPT_MAX): string {
  return excerptOfTokens(parse(source, {}), max);
}

/** The text of a paragraph's inline tokens, with a link's address after its text when they differ. */
function inlineText(children: Token[]): string {
  let out = '';
  let href: string | null = null;
  let linkText = '';
  for (const token of children) {
    switch (token.type) {
      case 'text':
      case 'code_inline':
        if (href !== null) linkText += token.content;
        out += token.content;
        break;
      case 'softbreak':
      case 'hardbreak':
        out += '\n';
        break;
      case 'link_open':
        href = String(token.attrGet('href') ?? '');
        linkText = '';
        break;
      case 'link_close': {
        const bare = href?.replace(/^mailto:/, '');
        if (href && linkText !== href && linkText !== bare) out += ` (${href})`;
        href = null;
        break;
      }
      default:
        break;
    }
  }
  return out;
}

/**
 * Markdown as plain text that keeps its shape (an event's description in a calendar file or an
 * "add to calendar" link): paragraphs and headings apart, list items as "- " and "1. ", links as
 * "text (url)", code as it is; no markup.
 */
export function markdownToText(source: string): string {
  const lists: { ordered: boolean }[] = [];
  let out = '';
  for (const token of parse(source, {})) {
    switch (token.type) {
      case 'bullet_list_open':
      case 'ordered_list_open':
        lists.push({ ordered: token.type === 'ordered_list_open' });
        break;
      case 'bullet_list_close':
      case 'ordered_list_close':
        lists.pop();
        if (!lists.length) out += '\n';
        break;
      case 'list_item_open': {
        const indent = '  '.repeat(Math.max(0, lists.length - 1));
        out += `${indent}${lists[lists.length - 1]?.ordered ? `${token.info}${token.markup}` : '-'} `;
        break;
      }
      case 'inline':
        out += inlineText(token.children ?? []);
        break;
      case 'paragraph_close':
        out += token.hidden ? '\n' : '\n\n';
        break;
      case 'heading_close':
        out += '\n\n';
        break;
      case 'fence':
      case 'code_block':
        out += `${token.content}\n`;
        break;
      case 'hr':
        out += '---\n\n';
        break;
      default:
        break;
    }
  }
  return out.replace(/\n{3,}/g, '\n\n').trim();
}

/** Plain text cut to `max` characters, ending with "…" when cut. */
export function shortenText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  // Never split a surrogate pair.
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end).trimEnd()}…`;
}

/**
 * The @handles a text mentions (lowercase) and the #slugs of cases it names, outside code and
 * links, each once (at most 50 of each): from one parse of the text.
 */
export function namesIn(source: string): { handles: string[]; cases: string[] } {
  const handles = new Set<string>();
  const cases = new Set<string>();
  parse(source, {
    scanText: (text, before) => {
      for (const { name } of matchesIn(text, before, MENTION)) handles.add(name.toLowerCase());
      for (const { name } of matchesIn(text, before, CASE_REFERENCE)) cases.add(name);
    },
  });
  return { handles: [...handles].slice(0, 50), cases: [...cases].slice(0, 50) };
}

/** The @handles a text mentions (outside code and links), lowercase, each once. */
export const mentionedHandles = (source: string): string[] => namesIn(source).handles;

/** The #slugs of cases a text names (outside code and links), each once. */
export const referencedCases = (source: string): string[] => namesIn(source).cases;
