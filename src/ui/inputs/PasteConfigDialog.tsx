/**
 * For a model that is not on the Hub: paste its config.json and give it a name. Parse errors say
 * where (line and column). The config is kept in this tab (sessionStorage); a link carries its name.
 */
import { useId, useState } from 'react';
import { applyPastedConfig } from '../../state/modelLoader';
import { parseModelId } from '../../state/inputRules';
import { parsePastedConfig } from '../../state/pastedConfig';
import { browserSessionStorage, type KeyValueStorage } from '../../state/tokenStorage';
import { useAppStore, useAppStoreApi } from '../../state/useAppStore';
import { describeConfigError } from '../errorMessages';

const DEFAULT_PASTED_NAME = 'pasted/model';

export function PasteConfigDialog({ session = browserSessionStorage() }: { session?: KeyValueStorage | null }) {
  const id = useId();
  const api = useAppStoreApi();
  const open = useAppStore((s) => s.ui.pasteDialogOpen);
  const setOpen = useAppStore((s) => s.setPasteDialogOpen);
  const [name, setName] = useState(DEFAULT_PASTED_NAME);
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  if (!open) return null;

  const onUse = (): void => {
    const modelId = parseModelId(name);
    if (!modelId.ok) {
      setError(`Name: ${modelId.error}`);
      return;
    }
    const config = parsePastedConfig(text);
    if (!config.ok) {
      setError(describeConfigError(config.error).text);
      return;
    }
    setError(null);
    applyPastedConfig(api, session, { modelId: modelId.value, configText: text });
    setOpen(false);
  };

  return (
    <div className="dialog-backdrop">
      <div
        role="dialog"
        aria-modal="true"
        aria-labelledby={`${id}-title`}
        className="dialog"
        onKeyDown={(e) => {
          if (e.key === 'Escape') setOpen(false);
        }}
      >
        <h2 id={`${id}-title`}>Paste a config.json</h2>
        <div className="field">
          <label htmlFor={`${id}-name`}>Name for this model</label>
          <input id={`${id}-name`} type="text" value={name} onChange={(e) => setName(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-text`}>config.json contents</label>
          <textarea
            id={`${id}-text`}
            rows={14}
            spellCheck={false}
            value={text}
            aria-invalid={error !== null}
            onChange={(e) => setText(e.target.value)}
            autoFocus
          />
        </div>
        {error ? (
          <p role="alert" className="field-error">
            {error}
          </p>
        ) : null}
        <div className="row-buttons">
          <button type="button" onClick={onUse}>
            Use this config
          </button>
          <button type="button" onClick={() => setOpen(false)}>
            Cancel
          </button>
        </div>
      </div>
    </div>
  );
}
