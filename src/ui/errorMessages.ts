/**
 * Every error the page shows, turned into a sentence in this one place (STYLE.md §3). Hub errors
 * reuse src/hub's describeHubError (shared with the CLI); config errors name the field at fault.
 */
import type { ConfigError } from '../engine/types';
import type { HubError } from '../hub/errors';
import { describeHubError } from '../hub/describe';
import type { ModelLoadError } from '../state/slices';

export interface UserMessage {
  text: string;
  /** The config.json field at fault, when there is one (shown in code style). */
  field: string | null;
  /** Whether a token field should be offered next to the message. */
  asksForToken: boolean;
  /** Whether "Retry" can help (network trouble, a new token), as opposed to a wrong input. */
  retryable: boolean;
}

/** Renders an unknown config value briefly: configs are untrusted, and this is shown as text. */
function preview(value: unknown): string {
  const text = typeof value === 'string' ? `"${value}"` : JSON.stringify(value) ?? String(value);
  const maxChars = 60;
  return text.length > maxChars ? `${text.slice(0, maxChars)}…` : text;
}

export function describeConfigError(e: ConfigError): UserMessage {
  const base = { asksForToken: false, retryable: false };
  switch (e.kind) {
    case 'missing-field':
      return { ...base, field: e.field, text: `The model's config.json has no "${e.field}", which the estimate needs.` };
    case 'unsupported-architecture':
      return { ...base, field: 'architectures', text: `The architecture ${e.architecture} is not supported yet; paste a config of a supported family or pick a bundled model.` };
    case 'invalid-value':
      return {
        ...base,
        field: e.field,
        text: `The config.json field "${e.field}" has a value the engine cannot use (${preview(e.value)})${e.reason ? `: ${e.reason}` : ''}.`,
      };
    case 'malformed-json': {
      const where = e.line === undefined ? '' : ` at line ${e.line}, column ${e.column ?? '?'}`;
      return { ...base, field: null, text: `The config is not valid JSON${where}: ${e.detail}` };
    }
    default: {
      const _exhaustive: never = e;
      return _exhaustive;
    }
  }
}

const RETRYABLE_HUB_KINDS: ReadonlySet<HubError['kind']> = new Set(['gated', 'not-found', 'rate-limited', 'server-error', 'offline', 'timeout', 'invalid-token']);
/** Kinds a (different) token can fix: gated repos, private repos the Hub reports as missing, a bad token. */
const TOKEN_HUB_KINDS: ReadonlySet<HubError['kind']> = new Set(['gated', 'not-found', 'invalid-token']);

export function describeHubFailure(e: HubError): UserMessage {
  return { text: describeHubError(e), field: null, asksForToken: TOKEN_HUB_KINDS.has(e.kind), retryable: RETRYABLE_HUB_KINDS.has(e.kind) };
}

export function describeModelLoadError(e: ModelLoadError): UserMessage {
  switch (e.kind) {
    case 'hub':
      return describeHubFailure(e.error);
    case 'config':
      return describeConfigError(e.error);
    case 'cancelled':
      return { text: 'Loading was cancelled. Retry, pick a bundled model, or paste a config.json.', field: null, asksForToken: false, retryable: true };
    default: {
      const _exhaustive: never = e;
      return _exhaustive;
    }
  }
}

/** The engine threw (a bug) or the worker died: say so plainly, keep the inputs. */
export function describeComputeFailure(detail: string): UserMessage {
  return { text: `The estimate failed unexpectedly (${detail}). Change an input to try again; please report it if it persists.`, field: null, asksForToken: false, retryable: false };
}
