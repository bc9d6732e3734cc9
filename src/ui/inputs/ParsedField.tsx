/**
 * A labelled text input for one validated value: the user's text stays as typed, the store gets
 * the value only when it parses (inputRules.ts), and a rejection is shown next to the field.
 */
import { useId, useState } from 'react';
import type { Parsed } from '../../state/inputRules';

export interface ParsedFieldProps<T> {
  label: string;
  value: T;
  parse: (text: string) => Parsed<T>;
  onCommit: (value: T) => void;
  /** How the stored value is shown in the field; String by default, '' for null. */
  show?: (value: T) => string;
  hint?: string;
  placeholder?: string;
  inputMode?: 'numeric' | 'decimal' | 'text';
  className?: string;
}

const defaultShow = (value: unknown): string => (value === null ? '' : String(value));

export function ParsedField<T>({ label, value, parse, onCommit, show = defaultShow, hint, placeholder, inputMode = 'numeric', className }: ParsedFieldProps<T>) {
  const id = useId();
  const [draft, setDraft] = useState(() => show(value));
  const [error, setError] = useState<string | null>(null);
  const [known, setKnown] = useState(value);
  // The value changed from elsewhere (a link, a reset): show it (React "adjusting state on prop change").
  if (!Object.is(known, value)) {
    setKnown(value);
    setDraft(show(value));
    setError(null);
  }

  const onChange = (text: string): void => {
    setDraft(text);
    const parsed = parse(text);
    if (!parsed.ok) {
      setError(parsed.error);
      return;
    }
    setError(null);
    setKnown(parsed.value);
    if (!Object.is(parsed.value, value)) onCommit(parsed.value);
  };

  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter((x) => x !== null).join(' ');
  return (
    <div className={`field ${className ?? ''}`}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="text"
        inputMode={inputMode}
        value={draft}
        placeholder={placeholder}
        aria-invalid={error !== null}
        aria-describedby={describedBy === '' ? undefined : describedBy}
        onChange={(e) => onChange(e.target.value)}
        onBlur={() => {
          // Leaving a rejected field: show the value actually in use again.
          if (error !== null) {
            setDraft(show(value));
            setError(null);
          }
        }}
      />
      {hint ? (
        <small id={`${id}-hint`} className="hint">
          {hint}
        </small>
      ) : null}
      {error ? (
        <small id={`${id}-error`} className="field-error" role="alert">
          {error}
        </small>
      ) : null}
    </div>
  );
}
