/**
 * A function that never changes identity but always calls the latest `callback`. The shell passes
 * inline callbacks (a new function on each of its renders); handing them through this keeps the
 * memoized table, cards and charts from re-rendering when nothing they show has changed.
 */
import { useCallback, useLayoutEffect, useRef } from 'react';

export function useLatestCallback<A extends unknown[], R>(callback: (...args: A) => R): (...args: A) => R {
  const latest = useRef(callback);
  useLayoutEffect(() => {
    latest.current = callback;
  });
  return useCallback((...args: A) => latest.current(...args), []);
}
