/**
 * Reference data (countries and themes) for the routes and for the other modules, which check the
 * codes and slugs they are given here. The checks take the caller's executor, so they can run in
 * the caller's transaction.
 */
import type { Executor } from '@opsi/db/executor';
import * as repo from './repository.ts';

export const listCountries = (db: Executor) => repo.listCountries(db);

export const listThemes = (db: Executor) => repo.listThemes(db);

/** The codes of `codes` that are not ISO 3166-1 countries. */
export const unknownCountries = (db: Executor, codes: string[]): Promise<string[]> => repo.unknownCountries(db, codes);

/** The slugs of `slugs` that are not themes. */
export const unknownThemes = (db: Executor, slugs: string[]): Promise<string[]> => repo.unknownThemes(db, slugs);
