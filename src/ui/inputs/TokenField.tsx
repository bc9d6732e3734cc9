/**
 * The Hugging Face access token for gated or private models. A password field; the value lives in
 * memory and sessionStorage only (state/tokenStorage.ts), never in the URL, logs or exports.
 */
import { useId } from 'react';
import { useAppStore } from '../../state/useAppStore';

export function TokenField() {
  const id = useId();
  const token = useAppStore((s) => s.hubToken);
  const setHubToken = useAppStore((s) => s.setHubToken);
  const retryModel = useAppStore((s) => s.retryModel);
  return (
    // A form so Enter in the field retries the load (and browsers see a password field in a form).
    <form
      className="field token-field"
      aria-label="Hugging Face access"
      onSubmit={(e) => {
        e.preventDefault();
        retryModel();
      }}
    >
      <label htmlFor={id}>Hugging Face access token</label>
      <input
        id={id}
        type="password"
        autoComplete="off"
        spellCheck={false}
        placeholder="hf_…"
        value={token}
        aria-describedby={`${id}-hint`}
        onChange={(e) => setHubToken(e.target.value)}
      />
      <small id={`${id}-hint`} className="hint">
        For gated or private models. Kept in this tab only (sessionStorage); sent only to huggingface.co.
      </small>
    </form>
  );
}
