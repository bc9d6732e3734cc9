/**
 * The shapes of the store's four slices (STYLE.md habit 11). Status unions, not booleans, so
 * impossible states (loading and failed at once) cannot be built.
 */
import type { SavedScenario, ScenarioSnapshot } from './savedWork';
import type { CapacityPlan, ConfigError, FixChange, GpuSpec, ModelArch, RecommendRequest, RecommendResult } from '../engine/types';
import type { RateLatencyPoint } from '../engine/sim/capacity';
import type { DisaggRow } from '../engine/disagg/disaggRows';
import type { HubError } from '../hub/errors';
import type { ModelSource } from '../worker/protocol';
import type { Inputs } from './inputs';
import type { Notice } from './notices';

/** Where a ready model came from: shipped with the page, fetched from the Hub, or pasted. */
export type ModelOrigin = 'bundled' | 'hub' | 'pasted';

export type ModelLoadError =
  | { kind: 'hub'; error: HubError }
  /** A bundled or pasted config.json that is not readable JSON. */
  | { kind: 'config'; error: ConfigError }
  /** The user stopped a slow Hub request. */
  | { kind: 'cancelled' };

export type ModelState =
  | { status: 'loading'; modelId: string }
  | {
      status: 'ready';
      modelId: string;
      origin: ModelOrigin;
      source: ModelSource;
      /** Why the Hub's safetensors parameter counts are missing (non-fatal), when they are. */
      paramCountsError: HubError | null;
    }
  | { status: 'error'; modelId: string; error: ModelLoadError };

/** One engine answer with the request that produced it (the table shows that, not the live inputs). */
export interface ComputedView {
  arch: ModelArch;
  request: RecommendRequest;
  result: RecommendResult;
  computeMs: number;
}

export type ResultsState =
  | { status: 'idle' }
  /** `previous` stays on screen while the engine works, so the table does not flash. */
  | { status: 'computing'; previous: ComputedView | null }
  | { status: 'ready'; view: ComputedView }
  | { status: 'config-error'; modelId: string; error: ConfigError }
  | { status: 'failed'; message: string };

/**
 * Simulated figures at the target rate (issue 10), filled in row by row after the closed-form table
 * (capacityRunner.ts). `forKey` names the result and target they belong to; a new one starts empty.
 */
export interface CapacityState {
  forKey: string | null;
  /** By candidateKey: the row's plan (null: it does not fit, or its simulation failed). */
  plans: Readonly<Record<string, CapacityPlan | null>>;
  /** candidateKey of the row in the worker now, if any. */
  simulating: string | null;
  /** The selected row's latency percentiles against the rate (the knee), when simulated. */
  rateCurve: { candidateKey: string; points: readonly RateLatencyPoint[] } | null;
  /**
   * The selected row's fix simulated at the target (engine sloJudgement.ts fixCheckAtTarget): the
   * row, the fix (fixKey: its JSON) and the plan (null: the changed row does not fit); `failed` when
   * the worker could not run it (the fix then keeps the closed form's check); `pending` while the
   * worker runs it (the page says "simulating…" meanwhile).
   */
  fixCheck?: { candidateKey: string; fixKey: string; plan: CapacityPlan | null; failed: boolean; pending?: boolean } | null;
}

export const EMPTY_CAPACITY: CapacityState = { forKey: null, plans: {}, simulating: null, rateCurve: null, fixCheck: null };

/**
 * [disagg] The P/D plans (issue 12 item 5), filled in pair by pair by the worker (disaggRunner.ts).
 * `forKey` names the ask (state/disagg.ts DisaggAsk.key) they belong to; a new one starts empty.
 */
export interface DisaggState {
  forKey: string | null;
  /** By pair key ("prefill>decode"). */
  rows: Readonly<Record<string, DisaggRow>>;
  /** Pair key in the worker now, if any. */
  simulating: string | null;
  /** Pairs whose simulation failed, with the reason. */
  failed: Readonly<Record<string, string>>;
}

export const EMPTY_DISAGG: DisaggState = { forKey: null, rows: {}, simulating: null, failed: {} };

export const THEME_PREFERENCES = ['system', 'light', 'dark'] as const;
export type ThemePreference = (typeof THEME_PREFERENCES)[number];

export interface UiState {
  theme: ThemePreference;
  selectedIndex: number | null;
  compareIndices: readonly number[];
  /** Input the page did not use (a tampered link, corrupt saved data), by origin; shown until dismissed. */
  notices: readonly Notice[];
  pasteDialogOpen: boolean;
  /** candidateKeys of the table rows on screen, in order (the rows the simulator fills in first). */
  visibleRowKeys: readonly string[];
}

export interface AppState {
  inputs: Inputs;
  model: ModelState;
  /** Bumped by "Retry": the model loader reloads even when the id did not change. */
  modelLoadAttempt: number;
  /** The Hub token, in memory; persisted to sessionStorage only (tokenStorage.ts). */
  hubToken: string;
  results: ResultsState;
  capacity: CapacityState;
  disagg: DisaggState;
  ui: UiState;
  /** Named snapshots of the inputs, remembered in localStorage (savedWork.ts). */
  scenarios: readonly SavedScenario[];
  /** GPUs the user added (customGpus.ts), remembered in localStorage. */
  customGpus: readonly GpuSpec[];
}

export interface AppActions {
  setInput<K extends keyof Inputs>(key: K, value: Inputs[K]): void;
  replaceInputs(inputs: Inputs): void;
  /** Applies a row's fix (engine/fixes.ts) to the inputs and selects the row it fixes (`index` in the shown result). */
  applyFix(fix: FixChange, index: number | null): void;
  retryModel(): void;
  /** Stops a pending Hub request (the loader aborts it); Retry starts it again. */
  cancelModelLoad(): void;
  setModel(model: ModelState): void;
  setHubToken(token: string): void;
  setResults(results: ResultsState): void;
  setCapacity(capacity: CapacityState): void;
  setDisagg(disagg: DisaggState): void;
  /** The table's rows on screen (a no-op when unchanged). */
  setVisibleRowKeys(keys: readonly string[]): void;
  setTheme(theme: ThemePreference): void;
  select(index: number | null): void;
  setCompare(indices: readonly number[]): void;
  addNotices(notices: readonly Notice[]): void;
  dismissNotices(): void;
  setPasteDialogOpen(open: boolean): void;
  /** Saves the current inputs under `name` (replacing a scenario of that name). */
  /** Saves the inputs under `name`, with what the results said (`snapshot`) when the page passes it. */
  saveScenario(name: string, savedAtIso: string, snapshot?: ScenarioSnapshot): void;
  deleteScenario(name: string): void;
  /** Restores a saved scenario's inputs (validated like a link; rejected values become notices). */
  loadScenario(name: string): void;
  addCustomGpus(gpus: readonly GpuSpec[]): void;
  removeCustomGpu(id: string): void;
}

export type AppStore = AppState & AppActions;
