/**
 * Rows as the events services see them: the database's snake_case columns as camelCase keys,
 * typed from the schema (`CamelRow<Selectable<EventsTable>>`), so the repositories need no
 * hand-written `x: r.x_y` mapping. Only the events module does this (the rest of the API maps by
 * hand); the database and its types stay snake_case.
 */

/** "going_count" → "goingCount", as a type. */
export type Camel<S extends string> = S extends `${infer Head}_${infer Tail}` ? `${Head}${Capitalize<Camel<Tail>>}` : S;

/** A row with camelCase keys. */
export type CamelRow<R> = { [K in keyof R & string as Camel<K>]: R[K] };

function camel(key: string): string {
  return key.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/** The row with its keys in camelCase (values as they are). */
export function camelRow<R extends object>(row: R): CamelRow<R> {
  return Object.fromEntries(Object.entries(row).map(([key, value]) => [camel(key), value])) as CamelRow<R>;
}
