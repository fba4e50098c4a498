/** A load under way for one key of a cache: concurrent misses share it; an invalidation marks it stale. */
export interface PendingLoad<T> {
  promise: Promise<T>;
  stale: boolean;
}

/**
 * Starts `load` for `key` as `state` (registered in `loading` until it settles): its value is
 * handed to `keep` unless an invalidation marked the load stale meanwhile, and is returned either way.
 */
export function startLoad<T, S extends PendingLoad<T>>(
  loading: Map<string, S>,
  key: string,
  state: S,
  load: () => Promise<T>,
  keep: (value: T) => void,
): Promise<T> {
  state.promise = load().then(
    (value) => {
      if (loading.get(key) === state) loading.delete(key);
      if (!state.stale) keep(value);
      return value;
    },
    (error: unknown) => {
      if (loading.get(key) === state) loading.delete(key);
      throw error;
    },
  );
  loading.set(key, state);
  return state.promise;
}
