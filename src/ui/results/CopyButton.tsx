/** Copies a text to the clipboard (navigator.clipboard) and says whether it worked. */
import { useState, type ReactNode } from 'react';

type CopyStatus = 'idle' | 'copied' | 'failed';

export interface CopyButtonProps {
  /** The text, or a function read at the click (the page's link changes with every input). */
  text: string | (() => string);
  /** The button's visible word(s); "Copy" by default. */
  caption?: string;
  /** What is copied, for the accessible name: "Copy vLLM command". */
  label: string;
}

export default function CopyButton({ text, label, caption = 'Copy' }: CopyButtonProps): ReactNode {
  const [status, setStatus] = useState<CopyStatus>('idle');
  const copy = async () => {
    try {
      if (typeof navigator === 'undefined' || navigator.clipboard === undefined) throw new Error('no clipboard');
      await navigator.clipboard.writeText(typeof text === 'function' ? text() : text);
      setStatus('copied');
    } catch {
      // Clipboard access is refused outside secure contexts and in some iframes: the text stays selectable.
      setStatus('failed');
    }
  };
  return (
    <button type="button" className="copy-button" aria-label={label} onClick={() => void copy()}>
      {status === 'copied' ? 'Copied' : status === 'failed' ? 'Copy failed: select the text' : caption}
    </button>
  );
}
