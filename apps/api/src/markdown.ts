/**
 * The one markdown renderer and its allowlist, for bios and posts: raw HTML is escaped, images are
 * off (no tracking pixels), links may only be http(s) or mailto and carry rel="nofollow ugc
 * noopener". `@handle` of a known member becomes a link to their profile. Rendered once on write
 * and stored beside the source.
 */
import MarkdownIt from 'markdown-it';

const md = new MarkdownIt({ html: false, linkify: true, breaks: true, typographer: false });
md.disable(['image', 'table']);

type Token = ReturnType<typeof md.parse>[number];

const ALLOWED_LINK = /^(https?:\/\/|mailto:)/i;
md.validateLink = (url: string) => ALLOWED_LINK.test(url.trim());

const MENTION = /(^|[^a-z0-9_@/.-])@([a-z0-9-]{2,40})(?![a-z0-9-])/gi;

interface Env {
  mentions?: ReadonlySet<string>;
}

/** Text tokens outside links (code spans and blocks are other token types, so mentions skip them). */
function* plainText(tokens: Token[]): Generator<{ children: Token[]; index: number }> {
  for (const block of tokens) {
    if (block.type !== 'inline' || !block.children) continue;
    let depth = 0;
    for (let index = 0; index < block.children.length; index += 1) {
      const token = block.children[index]!;
      if (token.type === 'link_open') depth += 1;
      else if (token.type === 'link_close') depth -= 1;
      else if (token.type === 'text' && depth === 0) yield { children: block.children, index };
    }
  }
}

md.core.ruler.push('mentions', (state) => {
  const known = (state.env as Env).mentions;
  if (!known?.size) return;
  for (const { children, index } of [...plainText(state.tokens)].reverse()) {
    const token = children[index]!;
    const text = token.content;
    const parts: Token[] = [];
    let last = 0;
    for (const match of text.matchAll(MENTION)) {
      const handle = match[2]!.toLowerCase();
      if (!known.has(handle)) continue;
      const start = match.index + match[1]!.length;
      if (start > last) parts.push(Object.assign(new state.Token('text', '', 0), { content: text.slice(last, start) }));
      const open = new state.Token('link_open', 'a', 1);
      open.attrs = [
        ['href', `/people/${handle}`],
        ['class', 'mention'],
      ];
      open.meta = { mention: true };
      parts.push(open, Object.assign(new state.Token('text', '', 0), { content: `@${handle}` }));
      parts.push(new state.Token('link_close', 'a', -1));
      last = start + 1 + handle.length;
    }
    if (!parts.length) continue;
    if (last < text.length) parts.push(Object.assign(new state.Token('text', '', 0), { content: text.slice(last) }));
    children.splice(index, 1, ...parts);
  }
});

const defaultLinkOpen =
  md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  const token = tokens[idx];
  if (token && !(token.meta as { mention?: boolean } | null)?.mention) token.attrSet('rel', 'nofollow ugc noopener');
  return defaultLinkOpen(tokens, idx, options, env, self);
};

/** Renders markdown; `mentions` are the handles (lowercase) that exist and become profile links. */
export function renderMarkdown(source: string, mentions?: ReadonlySet<string>): string {
  return md.render(source, { mentions } satisfies Env);
}

/** The @handles a text mentions (outside code and links), lowercase, each once. */
export function mentionedHandles(source: string): string[] {
  const found = new Set<string>();
  for (const { children, index } of plainText(md.parse(source, {}))) {
    for (const match of children[index]!.content.matchAll(MENTION)) found.add(match[2]!.toLowerCase());
  }
  return [...found].slice(0, 50);
}
