/**
 * The model field: search-as-you-type over the bundled catalog (a combobox with a listbox), Enter or
 * "Load" to load any Hub id. Choosing sets `inputs.modelId`; the model loader does the rest.
 */
import { useId, useMemo, useState } from 'react';
import { searchBundledModels } from '../../engine/catalog/bundledModels';
import { parseModelId } from '../../state/inputRules';
import { useAppStore, useAppStoreApi } from '../../state/useAppStore';

export function ModelPicker() {
  const id = useId();
  const api = useAppStoreApi();
  const modelId = useAppStore((s) => s.inputs.modelId);
  const [draft, setDraft] = useState(modelId);
  const [known, setKnown] = useState(modelId);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [error, setError] = useState<string | null>(null);
  if (known !== modelId) {
    setKnown(modelId);
    setDraft(modelId);
  }
  const matches = useMemo(() => searchBundledModels(draft), [draft]);

  const commit = (text: string): void => {
    const parsed = parseModelId(text);
    setOpen(false);
    setActive(-1);
    if (!parsed.ok) {
      setError(parsed.error);
      return;
    }
    setError(null);
    setDraft(parsed.value);
    const state = api.getState();
    // Loading the id already chosen again means "try again" (e.g. after pasting a token).
    if (parsed.value === state.inputs.modelId) state.retryModel();
    else state.setInput('modelId', parsed.value);
  };

  const onKeyDown = (e: React.KeyboardEvent<HTMLInputElement>): void => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setOpen(true);
      const step = e.key === 'ArrowDown' ? 1 : -1;
      setActive((current) => Math.max(-1, Math.min(matches.length - 1, current + step)));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const picked = open && active >= 0 ? matches[active] : undefined;
      commit(picked ? picked.id : draft);
    } else if (e.key === 'Escape') {
      setOpen(false);
      setActive(-1);
    }
  };

  const listId = `${id}-list`;
  const activeId = open && active >= 0 ? `${id}-opt-${active}` : undefined;
  return (
    <div className="model-picker">
      <label htmlFor={id}>Model (Hugging Face id or search)</label>
      <div className="model-row">
        <input
          id={id}
          type="text"
          role="combobox"
          autoComplete="off"
          spellCheck={false}
          aria-expanded={open && matches.length > 0}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={activeId}
          aria-invalid={error !== null}
          value={draft}
          placeholder="org/name, e.g. meta-llama/Llama-3.1-8B-Instruct"
          onChange={(e) => {
            setDraft(e.target.value);
            setOpen(true);
            setActive(-1);
          }}
          onFocus={() => setOpen(true)}
          onBlur={() => setOpen(false)}
          onKeyDown={onKeyDown}
        />
        <button type="button" onClick={() => commit(draft)}>
          Load model
        </button>
      </div>
      {open && matches.length > 0 ? (
        <ul id={listId} role="listbox" aria-label="Bundled models" className="model-list">
          {matches.map((m, i) => (
            <li
              key={m.id}
              id={`${id}-opt-${i}`}
              role="option"
              aria-selected={i === active}
              // mousedown, not click: it fires before the input's blur closes the list.
              onMouseDown={(e) => {
                e.preventDefault();
                commit(m.id);
              }}
            >
              {m.id}
            </li>
          ))}
        </ul>
      ) : null}
      {error ? (
        <small className="field-error" role="alert">
          {error}
        </small>
      ) : null}
    </div>
  );
}
