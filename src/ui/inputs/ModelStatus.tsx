/** Where the model stands: loading from the Hub, ready (and from where), or why it failed, with Retry. */
import { describeHubFailure, describeModelLoadError } from '../errorMessages';
import type { ModelOrigin } from '../../state/slices';
import { useAppStore } from '../../state/useAppStore';
import { TokenField } from './TokenField';

const ORIGIN_TEXT: Record<ModelOrigin, string> = {
  bundled: 'bundled with the page (works offline)',
  hub: 'loaded from the Hugging Face Hub',
  pasted: 'from the pasted config.json (kept in this tab)',
};

export function ModelStatus() {
  const model = useAppStore((s) => s.model);
  const retryModel = useAppStore((s) => s.retryModel);
  const cancelModelLoad = useAppStore((s) => s.cancelModelLoad);
  const openPaste = useAppStore((s) => s.setPasteDialogOpen);

  let body: React.ReactNode;
  let asksForToken = false;
  switch (model.status) {
    case 'loading':
      body = (
        <div className="loading-row">
          <p role="status" className="loading">
            Loading <span className="model-id">{model.modelId}</span> from the Hugging Face Hub…
          </p>
          <button type="button" onClick={cancelModelLoad}>
            Cancel
          </button>
        </div>
      );
      break;
    case 'ready':
      body = (
        <p className="muted">
          <span className="model-id">{model.modelId}</span>: {ORIGIN_TEXT[model.origin]}.
          {model.paramCountsError ? ` Parameter counts from the config (the Hub's safetensors metadata: ${describeHubFailure(model.paramCountsError).text})` : ''}
        </p>
      );
      break;
    case 'error': {
      const message = describeModelLoadError(model.error);
      asksForToken = message.asksForToken;
      body = (
        <div role="alert" className="error-box">
          <p>{message.text}</p>
          {message.retryable ? (
            <button type="button" onClick={retryModel}>
              Retry
            </button>
          ) : null}
        </div>
      );
      break;
    }
    default: {
      const _exhaustive: never = model;
      body = _exhaustive;
    }
  }

  return (
    <div className="model-status">
      {body}
      {asksForToken ? (
        <TokenField />
      ) : (
        <details className="token-details">
          <summary>Gated or private model?</summary>
          <TokenField />
        </details>
      )}
      <button type="button" className="link-button" onClick={() => openPaste(true)}>
        Paste a config.json…
      </button>
    </div>
  );
}
