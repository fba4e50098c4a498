import type { Executor } from '@opsi/db/executor';

export async function listCountries(db: Executor) {
  const rows = await db.selectFrom('countries').select(['code', 'name', 'name_fr']).orderBy('name').execute();
  return rows.map((r) => ({ code: r.code, name: r.name, nameFr: r.name_fr }));
}

export async function listThemes(db: Executor) {
  const rows = await db
    .selectFrom('themes')
    .select(['slug', 'name', 'name_fr', 'description', 'description_fr'])
    .orderBy('position')
    .orderBy('name')
    .execute();
  return rows.map((r) => ({
    slug: r.slug,
    name: r.name,
    description: r.description,
    nameFr: r.name_fr,
    descriptionFr: r.description_fr,
  }));
}

/** The codes of `codes` that are not ISO 3166-1 countries. */
export async function unknownCountries(db: Executor, codes: string[]): Promise<string[]> {
  if (codes.length === 0) return [];
  const found = await db.selectFrom('countries').select('code').where('code', 'in', codes).execute();
  const known = new Set(found.map((r) => r.code));
  return codes.filter((c) => !known.has(c));
}

/** The slugs of `slugs` that are not themes. */
export async function unknownThemes(db: Executor, slugs: string[]): Promise<string[]> {
  if (slugs.length === 0) return [];
  const found = await db.selectFrom('themes').select('slug').where('slug', 'in', slugs).execute();
  const known = new Set(found.map((r) => r.slug));
  return slugs.filter((s) => !known.has(s));
}
