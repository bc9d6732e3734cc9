/**
 * One actionable sentence per HubError, shared by the CLI and the UI (the UI may add a retry
 * button or a token field beside it; it keeps the user's inputs either way).
 */
import type { HubError } from './errors';

export function describeHubError(e: HubError): string {
  switch (e.kind) {
    case 'invalid-id':
      return `"${e.modelId}" is not a Hugging Face model id: use the form org/name, e.g. meta-llama/Llama-3.1-8B-Instruct.`;
    case 'invalid-token':
      return 'That is not a Hugging Face access token: tokens start with "hf_" (create one at huggingface.co/settings/tokens).';
    case 'not-found':
      return `${e.modelId} was not found on the Hugging Face Hub: check the spelling, or paste a token if it is a private repo.`;
    case 'gated':
      return e.hasToken
        ? `The token was refused for ${e.modelId}: check it is valid and that its account has been granted access to ${e.modelId} (accept the license on its Hub page).`
        : `${e.modelId} is gated: accept its license on the Hub, then paste a Hugging Face token with access.`;
    case 'rate-limited':
      return e.retryAfterS === undefined
        ? 'The Hugging Face Hub is rate-limiting requests: wait a minute and retry, or paste a token (signed-in limits are higher).'
        : `The Hugging Face Hub is rate-limiting requests: retry in ${e.retryAfterS} s, or paste a token (signed-in limits are higher).`;
    case 'server-error':
      return `The Hugging Face Hub answered with an error (HTTP ${e.status}): retry in a moment, or pick a bundled model.`;
    case 'offline':
      return 'Could not reach the Hugging Face Hub: check your connection, or pick a bundled model (they work offline).';
    case 'timeout':
      return 'The Hugging Face Hub did not answer in time: retry, or pick a bundled model.';
    case 'malformed':
      return `${e.file} from the Hub could not be read: ${e.detail}.`;
    default: {
      const _exhaustive: never = e;
      return String(_exhaustive);
    }
  }
}
