/**
 * `value` one painted frame late: it updates after the browser has painted the commit that brought
 * the new value (requestAnimationFrame, then a task), in a transition. The results view reads its
 * charts from it so that the table is on screen before chart work starts. With useDeferredValue the
 * deferred render ran right after the table's commit and the frame was painted only ~45 ms later
 * (scripts/measure-ui.ts, 2026-11-27).
 */
import { startTransition, useEffect, useState } from 'react';

export function useAfterPaint<T>(value: T): T {
  const [shown, setShown] = useState(value);
  useEffect(() => {
    if (Object.is(shown, value)) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const update = (): void => {
      timer = setTimeout(() => startTransition(() => setShown(() => value)), 0);
    };
    // jsdom (unit tests) has no requestAnimationFrame without pretendToBeVisual.
    const frame = typeof requestAnimationFrame === 'function' ? requestAnimationFrame(update) : null;
    if (frame === null) update();
    return () => {
      if (frame !== null) cancelAnimationFrame(frame);
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [value, shown]);
  return shown;
}
