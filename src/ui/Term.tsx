/**
 * A term's plain-words definition behind a small "?" button: a disclosure that works with the mouse,
 * the keyboard and touch (hover titles reach none but the mouse). The button says "What is <term>?"
 * and carries aria-expanded / aria-controls; the definition opens below it as a note and closes on
 * a second press, on Escape (focus back on the button) and on a press anywhere outside it. The
 * popover is fixed-positioned under the button so a scrolling table box does not clip it; it closes
 * when the page resizes; on a scroll it moves with its button.
 */
import { useCallback, useEffect, useId, useLayoutEffect, useRef, useState, type CSSProperties, type ReactNode } from 'react';
import type { GlossaryEntry } from './glossary';

/** Gap between the button and the popover, and the popover's distance from the window edges. */
const POPOVER_GAP_PX = 4;
const POPOVER_MARGIN_PX = 8;

export interface TermProps {
  entry: GlossaryEntry;
}

export default function Term({ entry }: TermProps): ReactNode {
  const [open, setOpen] = useState(false);
  const [style, setStyle] = useState<CSSProperties>({});
  const popoverId = useId();
  const wrapRef = useRef<HTMLSpanElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const popoverRef = useRef<HTMLSpanElement>(null);
  const close = useCallback(() => setOpen(false), []);
  // Fixed-positioned under its button, kept inside the viewport (POPOVER_MARGIN_PX from either edge).
  const place = useCallback(() => {
    if (buttonRef.current === null) return;
    const button = buttonRef.current.getBoundingClientRect();
    const widthPx = popoverRef.current?.offsetWidth ?? 0;
    const maxLeftPx = Math.max(POPOVER_MARGIN_PX, window.innerWidth - widthPx - POPOVER_MARGIN_PX);
    setStyle({ top: button.bottom + POPOVER_GAP_PX, left: Math.min(Math.max(POPOVER_MARGIN_PX, button.left), maxLeftPx) });
  }, []);

  useEffect(() => {
    if (!open) return;
    const onPointerDown = (event: Event) => {
      if (event.target instanceof Node && wrapRef.current?.contains(event.target) === true) return;
      setOpen(false);
    };
    // A scroll moves the popover with its button instead of closing it: the page scrolls by itself too
    // (scroll anchoring while rows fill in during a rate-mode simulation), not only when the user does.
    document.addEventListener('pointerdown', onPointerDown);
    window.addEventListener('resize', close);
    window.addEventListener('scroll', place, true);
    return () => {
      document.removeEventListener('pointerdown', onPointerDown);
      window.removeEventListener('resize', close);
      window.removeEventListener('scroll', place, true);
    };
  }, [open, close, place]);

  useLayoutEffect(() => {
    if (open) place();
  }, [open, place]);

  return (
    <span
      className="term"
      ref={wrapRef}
      onKeyDown={(event) => {
        if (event.key !== 'Escape' || !open) return;
        // Handled here: a surrounding Escape handler (the row detail's) must not fire as well.
        event.preventDefault();
        event.stopPropagation();
        setOpen(false);
        buttonRef.current?.focus();
      }}
    >
      <button
        type="button"
        className="term-button"
        ref={buttonRef}
        aria-label={`What is ${entry.term}?`}
        aria-expanded={open}
        aria-controls={popoverId}
        onClick={(event) => {
          event.stopPropagation(); // not a click on the row or header around it
          setOpen((was) => !was);
        }}
      >
        ?
      </button>
      <span id={popoverId} role="note" aria-label={`About ${entry.term}`} className="term-popover" ref={popoverRef} hidden={!open} style={style}>
        <strong>{entry.term}</strong>: {entry.definition}
        {entry.source === undefined ? null : <span className="term-source">In vLLM: {entry.source}</span>}
      </span>
    </span>
  );
}
