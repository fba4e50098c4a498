import type { Executor } from '../activities/repository.ts';

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
