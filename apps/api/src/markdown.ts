/**
 * The one markdown renderer and its allowlist, for bios now and posts later: raw HTML is escaped,
 * images are off (no tracking pixels), links may only be http(s) or mailto and carry
 * rel="nofollow ugc noopener". Rendered once on write and stored beside the source.
 */
import MarkdownIt from 'markdown-it';

const md = new MarkdownIt({ html: false, linkify: true, breaks: true, typographer: false });
md.disable(['image', 'table']);

const ALLOWED_LINK = /^(https?:\/\/|mailto:)/i;
md.validateLink = (url: string) => ALLOWED_LINK.test(url.trim());

const defaultLinkOpen =
  md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  tokens[idx]?.attrSet('rel', 'nofollow ugc noopener');
  return defaultLinkOpen(tokens, idx, options, env, self);
};

export function renderMarkdown(source: string): string {
  return md.render(source);
}
