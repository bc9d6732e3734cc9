/** A labelled checkbox with its hint below (the hint describes the box for screen readers), as SelectField is for a <select>. */
import { useId } from 'react';

export interface CheckboxFieldProps {
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  hint: string;
}

export function CheckboxField({ label, checked, onChange, hint }: CheckboxFieldProps) {
  const id = useId();
  return (
    <div className="field">
      <label>
        <input type="checkbox" checked={checked} aria-describedby={`${id}-hint`} onChange={(e) => onChange(e.target.checked)} /> {label}
      </label>
      <small id={`${id}-hint`} className="hint">
        {hint}
      </small>
    </div>
  );
}
