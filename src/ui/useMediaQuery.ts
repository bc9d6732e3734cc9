/**
 * Whether a CSS media query matches, kept in step with the window (useSyncExternalStore over
 * matchMedia's change event). False where matchMedia is missing (server, old test environments).
 */
import { useCallback, useSyncExternalStore } from 'react';

function hasMatchMedia(): boolean {
  return typeof window !== 'undefined' && typeof window.matchMedia === 'function';
}

export function useMediaQuery(query: string): boolean {
  const subscribe = useCallback(
    (onChange: () => void) => {
      if (!hasMatchMedia()) return () => undefined;
      const list = window.matchMedia(query);
      list.addEventListener('change', onChange);
      return () => list.removeEventListener('change', onChange);
    },
    [query],
  );
  return useSyncExternalStore(subscribe, () => hasMatchMedia() && window.matchMedia(query).matches, () => false);
}

/** Below this width the results table's rows are cards (results.css, the same 600 px). */
export const CARD_ROWS_QUERY = '(max-width: 600px)';
