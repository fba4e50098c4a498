/** Atom 1.0 (RFC 4287) documents for the country and theme hubs, for people who use feed readers. */
import { escapeHtml } from '@opsi/common/escape';

export interface AtomEntry {
  id: string;
  title: string;
  url: string;
  updated: Date;
  author: string;
  summary: string;
}

export interface AtomFeed {
  id: string;
  title: string;
  subtitle: string;
  selfUrl: string;
  pageUrl: string;
  updated: Date;
  entries: AtomEntry[];
}

/** XML text: characters XML 1.0 forbids removed, and the five special ones escaped (the shared escaper). */
export function xmlText(value: string): string {
  return escapeHtml(
    // eslint-disable-next-line no-control-regex -- removing characters XML cannot carry is the point
    value.replace(/[\u0000-\u0008\v\f\u000e-\u001f\ufffe\uffff]/g, ''),
  );
}

export function renderAtom(feed: AtomFeed): string {
  const entries = feed.entries
    .map(
      (e) => `  <entry>
    <id>${xmlText(e.id)}</id>
    <title>${xmlText(e.title)}</title>
    <link rel="alternate" type="text/html" href="${xmlText(e.url)}"/>
    <updated>${e.updated.toISOString()}</updated>
    <author><name>${xmlText(e.author)}</name></author>
    <summary type="text">${xmlText(e.summary)}</summary>
  </entry>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>${xmlText(feed.id)}</id>
  <title>${xmlText(feed.title)}</title>
  <subtitle>${xmlText(feed.subtitle)}</subtitle>
  <link rel="self" type="application/atom+xml" href="${xmlText(feed.selfUrl)}"/>
  <link rel="alternate" type="text/html" href="${xmlText(feed.pageUrl)}"/>
  <updated>${feed.updated.toISOString()}</updated>
${entries}
</feed>
`;
}
