/**
 * Every error the page shows, turned into a sentence in this one place (STYLE.md §3). Hub errors
 * reuse src/hub's describeHubError (shared with the CLI); config errors name the field at fault.
 */
import type { ConfigError } from '../engine/types';
import type { HubError } from '../hub/errors';
import { describeHubError } from '../hub/describe';
import type { ModelLoadError, ModelOrigin } from '../state/slices';

export interface UserMessage {
  text: string;
  /** The config.json field at fault, when there is one (shown in code style). */
  field: string | null;
  /** Whether a token field should be offered next to the message. */
  asksForToken: boolean;
  /**
   * Whether "Retry" can help: network trouble, a new token, or a Hub config.json that may have been
   * fixed upstream or arrived cut short; not a wrong input, a bundled config or a pasted one.
   */
  retryable: boolean;
}

/** Appended beside a Retry that fetches from the Hub again. Names no token: it is sent, never shown. */
const REFETCH_FILE_HINT = 'Retry fetches it again (e.g. once the repository is fixed).';
const REFETCH_CONFIG_HINT = 'Retry fetches config.json from the Hub again (e.g. once the repository is fixed), or paste a corrected one.';

/** Renders an unknown config value briefly: configs are untrusted, and this is shown as text. */
function preview(value: unknown): string {
  const text = typeof value === 'string' ? `"${value}"` : JSON.stringify(value) ?? String(value);
  const maxChars = 60;
  return text.length > maxChars ? `${text.slice(0, maxChars)}…` : text;
}

/**
 * `origin`: where the config came from, when known. Only a Hub config can change by fetching it
 * again; a bundled or pasted one would fail the same way.
 */
export function describeConfigError(e: ConfigError, origin: ModelOrigin | null = null): UserMessage {
  const message = describeConfigProblem(e);
  return origin === 'hub' ? { ...message, retryable: true, text: `${message.text} ${REFETCH_CONFIG_HINT}` } : message;
}

function describeConfigProblem(e: ConfigError): UserMessage {
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

/** 'malformed': a config.json cut short in transit, or broken in a repo that has since been fixed. */
const RETRYABLE_HUB_KINDS: ReadonlySet<HubError['kind']> = new Set(['gated', 'not-found', 'rate-limited', 'server-error', 'offline', 'timeout', 'invalid-token', 'malformed']);
/** Kinds a (different) token can fix: gated repos, private repos the Hub reports as missing, a bad token. */
const TOKEN_HUB_KINDS: ReadonlySet<HubError['kind']> = new Set(['gated', 'not-found', 'invalid-token']);

export function describeHubFailure(e: HubError): UserMessage {
  return { text: describeHubError(e), field: null, asksForToken: TOKEN_HUB_KINDS.has(e.kind), retryable: RETRYABLE_HUB_KINDS.has(e.kind) };
}

export function describeModelLoadError(e: ModelLoadError): UserMessage {
  switch (e.kind) {
    case 'hub': {
      const message = describeHubFailure(e.error);
      return e.error.kind === 'malformed' ? { ...message, text: `${message.text} ${REFETCH_FILE_HINT}` } : message;
    }
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
