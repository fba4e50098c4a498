/**
 * The bench dataset's sizes and version. Bump DATASET_VERSION whenever what the generator writes
 * changes: a saved dataset is reused only under the same version (and the same migrations and
 * PostgreSQL major version, see store.ts).
 */
export const DATASET_VERSION = 1;

export interface DatasetSize {
  members: number;
  /** The observatory's 1,084 cases, ten times over. */
  cases: number;
  events: number;
  posts: number;
  /** Rows in `activities` (the oldest posts' activities are gone, as retention would have them). */
  activities: number;
  reactions: number;
  /** The most recent follows keep their (private) `followed` activity. */
  followActivities: number;
  blocks: number;
}

export const FULL_SIZE: DatasetSize = {
  members: 100_000,
  cases: 10_000,
  events: 2_000,
  posts: 1_000_000,
  activities: 1_000_000,
  reactions: 150_000,
  followActivities: 50_000,
  blocks: 2_000,
};

/** The full size times `scale` (BENCH_DATASET_SCALE, 1 by default; smaller while developing). */
export function sizeFor(scale: number): DatasetSize {
  if (!(scale > 0 && scale <= 1)) throw new Error(`BENCH_DATASET_SCALE must be in (0, 1], not ${scale}`);
  const scaled = Object.entries(FULL_SIZE).map(([k, v]) => [k, Math.max(10, Math.round(v * scale))]);
  return Object.fromEntries(scaled) as unknown as DatasetSize;
}

/** Every 100th member from the 50th (m-50, m-150, …) follows 50 things. */
export const HEAVY_EVERY = 100;
export const HEAVY_OFFSET = 50;
/** Every 5th member follows the busiest country, so it has at least members ÷ 5 followers. */
export const BUSIEST_COUNTRY_EVERY = 5;
/** How many of the observatory's countries the cases, members and events are spread over. */
export const PLACES = 94;
