/**
 * What the home page and the hubs show of a library of a thousand cases and more: a few cases per
 * section (recent activity, most discussed, newest), each case once, each section with a link
 * to the whole list in that order.
 */

/** Read this many per order so the later sections are still full once the earlier ones' cases are left out. */
export function scanSize(size: number, sections: number): number {
  return size * sections;
}

/**
 * The sections' cases, `size` each, in the order given: a case goes to the first section that
 * lists it; "most discussed" (`discussed: true`) takes only cases with posts.
 */
export function showcase<T extends { slug: string; postCount: number }>(
  sections: { items: T[]; discussed?: boolean }[],
  size: number,
): T[][] {
  const shown = new Set<string>();
  return sections.map(({ items, discussed = false }) => {
    const picked: T[] = [];
    for (const item of items) {
      if (picked.length >= size) break;
      if (shown.has(item.slug) || (discussed && item.postCount === 0)) continue;
      shown.add(item.slug);
      picked.push(item);
    }
    return picked;
  });
}
