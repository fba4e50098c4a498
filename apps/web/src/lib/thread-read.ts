/**
 * Where the reader got to in a thread (the case list's unread counts, the next visit's "new since
 * your last visit"), recorded by the page once it is shown, never by its load: SvelteKit runs a
 * page's load to preload a link the pointer rests on, and a preload is not a read. Recorded when
 * the page is shown (at once if it is visible, else when it becomes visible), a short pause after
 * more posts come into view, and when the reader leaves (keepalive outlives the page).
 */
export interface ReadMarker {
  /** The page is shown: record now, or when the tab becomes visible. Returns the clean-up. */
  shown(): () => void;
  /** More posts came into view: record after a pause. */
  soon(): void;
  /** Leaving: record what is pending now. */
  flush(): void;
}

const PAUSE_MS = 1_500;

export function readMarker(save: () => void): ReadMarker {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pending = false;
  const record = () => {
    pending = false;
    clearTimeout(timer);
    save();
  };
  const flush = () => {
    if (pending) record();
  };
  return {
    shown() {
      if (document.visibilityState === 'visible') {
        record();
        return () => undefined;
      }
      const visible = () => {
        if (document.visibilityState !== 'visible') return;
        document.removeEventListener('visibilitychange', visible);
        record();
      };
      document.addEventListener('visibilitychange', visible);
      return () => document.removeEventListener('visibilitychange', visible);
    },
    soon() {
      if (document.visibilityState !== 'visible') return;
      clearTimeout(timer);
      pending = true;
      timer = setTimeout(record, PAUSE_MS);
    },
    flush,
  };
}
