/**
 * What the page remembers across reloads, in localStorage (issue 5): price overrides per GPU, named
 * scenarios (a snapshot of the inputs as a link fragment) and custom GPUs. Never the Hugging Face token: that
 * lives in sessionStorage only (tokenStorage.ts). Stored data is untrusted (another version of the
 * page, a hand edit, a full disk): it is parsed field by field, and anything unreadable is reported
 * once and reset rather than breaking the page (STYLE.md habit 8).
 */
import type { GpuSpec } from '../engine/types';
import { customGpuToJson, describeCustomGpuErrors, gpuIdsWithCustom, parseCustomGpuList } from './customGpus';
import type { Inputs } from './inputs';
import type { KeyValueStorage } from './tokenStorage';

/** Versioned key: a future format gets a new key and can migrate from this one. */
export const SAVED_WORK_KEY = 'gpu-fit.saved.v1';
/** A scenario list is for people, not a database: keep the newest few. */
export const MAX_SCENARIOS = 50;
const MAX_NAME_CHARS = 80;
const MAX_FRAGMENT_CHARS = 4000;

export interface SavedScenario {
  name: string;
  /** The inputs as the share-link fragment encodes them (urlCodec.ts): versioned and validated on load. */
  fragment: string;
  savedAtIso: string;
  /** The answer on screen when it was saved (issue 14: two scenarios side by side); absent for older saves. */
  snapshot?: ScenarioSnapshot;
}

/**
 * What a saved scenario's results said, as the engine computed them at save time: the verdict
 * sentence and the figures of its row (the pick, or the closest row when nothing passed). A record
 * of what was shown, not a new computation; loading the scenario recomputes everything.
 */
export interface ScenarioSnapshot {
  modelId: string;
  /** The verdict sentence as the page showed it. */
  headline: string;
  /** Whether a configuration met every limit (the row is then the pick, else the closest). */
  passes: boolean;
  row: ScenarioSnapshotRow | null;
}

export interface ScenarioSnapshotRow {
  gpuId: string;
  gpuCount: number;
  layout: { tp: number; pp: number; dp: number; ep: boolean };
  /** Concurrent requests at the operating point; null = saturation. */
  concurrency: number | null;
  ttftMs: number;
  itlMs: number;
  usdPerMillionOutputTokens: number;
  outputTokensPerS: number;
  costUsdPerHour: number;
}

const MAX_SNAPSHOT_TEXT_CHARS = 1000;
const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isCount = (v: unknown): v is number => isFiniteNumber(v) && Number.isInteger(v) && v >= 1;

/** Rebuilds a stored snapshot field by field; undefined when any field is unusable (only the snapshot is dropped). */
export function parseScenarioSnapshot(raw: unknown): ScenarioSnapshot | undefined {
  if (!isRecord(raw)) return undefined;
  const { modelId, headline, passes, row } = raw;
  if (typeof modelId !== 'string' || typeof headline !== 'string' || typeof passes !== 'boolean') return undefined;
  if (modelId.length > MAX_SNAPSHOT_TEXT_CHARS || headline.length > MAX_SNAPSHOT_TEXT_CHARS) return undefined;
  if (row === null) return { modelId, headline, passes, row: null };
  if (!isRecord(row) || !isRecord(row.layout)) return undefined;
  const { gpuId, gpuCount, concurrency, ttftMs, itlMs, usdPerMillionOutputTokens, outputTokensPerS, costUsdPerHour } = row;
  const { tp, pp, dp, ep } = row.layout;
  if (typeof gpuId !== 'string' || gpuId.length > MAX_SNAPSHOT_TEXT_CHARS || !isCount(gpuCount)) return undefined;
  if (!isCount(tp) || !isCount(pp) || !isCount(dp) || typeof ep !== 'boolean') return undefined;
  if (concurrency !== null && !(isFiniteNumber(concurrency) && concurrency >= 0)) return undefined;
  const figures = [ttftMs, itlMs, usdPerMillionOutputTokens, outputTokensPerS, costUsdPerHour];
  if (!figures.every((f) => isFiniteNumber(f) && f >= 0)) return undefined;
  return {
    modelId,
    headline,
    passes,
    row: {
      gpuId,
      gpuCount,
      layout: { tp, pp, dp, ep },
      concurrency,
      ttftMs: ttftMs as number,
      itlMs: itlMs as number,
      usdPerMillionOutputTokens: usdPerMillionOutputTokens as number,
      outputTokensPerS: outputTokensPerS as number,
      costUsdPerHour: costUsdPerHour as number,
    },
  };
}

export interface SavedWork {
  priceOverridesUsdPerHour: Readonly<Record<string, number>>;
  scenarios: readonly SavedScenario[];
  /** Stored in the form's units (CustomGpuJson), parsed again on load like an import. */
  customGpus: readonly GpuSpec[];
}

export const EMPTY_SAVED_WORK: SavedWork = { priceOverridesUsdPerHour: {}, scenarios: [], customGpus: [] };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Rebuilds saved work from stored JSON; a reason when it cannot be trusted. */
export function parseSavedWork(raw: unknown, knownGpuIds: readonly string[]): { ok: true; value: SavedWork } | { ok: false; reason: string } {
  if (!isRecord(raw)) return { ok: false, reason: 'not an object' };
  if (raw.version !== 1) return { ok: false, reason: `unknown version ${JSON.stringify(raw.version ?? null)}` };
  let customGpus: GpuSpec[] = [];
  if (raw.customGpus !== undefined) {
    const parsed = parseCustomGpuList(raw.customGpus);
    if (!parsed.ok) return { ok: false, reason: `custom GPU ${describeCustomGpuErrors(parsed.error)}` };
    customGpus = parsed.value;
  }
  const known = gpuIdsWithCustom(knownGpuIds, customGpus);
  const prices: Record<string, number> = {};
  if (raw.priceOverridesUsdPerHour !== undefined) {
    if (!isRecord(raw.priceOverridesUsdPerHour)) return { ok: false, reason: 'priceOverridesUsdPerHour is not an object' };
    for (const [id, usd] of Object.entries(raw.priceOverridesUsdPerHour)) {
      // Prices of GPUs this page does not know are dropped, not fatal (a renamed catalog id).
      if (!known.includes(id)) continue;
      if (typeof usd !== 'number' || !Number.isFinite(usd) || usd <= 0) return { ok: false, reason: `price for ${id} is not a positive number` };
      prices[id] = usd;
    }
  }
  const scenarios: SavedScenario[] = [];
  if (raw.scenarios !== undefined) {
    if (!Array.isArray(raw.scenarios)) return { ok: false, reason: 'scenarios is not a list' };
    for (const [i, s] of raw.scenarios.entries()) {
      if (!isRecord(s) || typeof s.name !== 'string' || typeof s.fragment !== 'string' || typeof s.savedAtIso !== 'string') {
        return { ok: false, reason: `scenario ${i + 1} is malformed` };
      }
      if (s.name.length === 0 || s.name.length > MAX_NAME_CHARS || s.fragment.length > MAX_FRAGMENT_CHARS) {
        return { ok: false, reason: `scenario ${i + 1} has an unusable name or is too long` };
      }
      const snapshot = parseScenarioSnapshot(s.snapshot);
      scenarios.push({ name: s.name, fragment: s.fragment, savedAtIso: s.savedAtIso, ...(snapshot === undefined ? {} : { snapshot }) });
    }
  }
  return { ok: true, value: { priceOverridesUsdPerHour: prices, scenarios: scenarios.slice(0, MAX_SCENARIOS), customGpus } };
}

/** Reads saved work; corrupt data is removed and reported in `notice` (shown once to the user). */
export function readSavedWork(storage: KeyValueStorage | null, knownGpuIds: readonly string[]): { work: SavedWork; notice: string | null } {
  let text: string | null;
  try {
    text = storage?.getItem(SAVED_WORK_KEY) ?? null;
  } catch {
    return { work: EMPTY_SAVED_WORK, notice: null };
  }
  if (text === null) return { work: EMPTY_SAVED_WORK, notice: null };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    raw = undefined;
  }
  const parsed = raw === undefined ? { ok: false as const, reason: 'not valid JSON' } : parseSavedWork(raw, knownGpuIds);
  if (parsed.ok) return { work: parsed.value, notice: null };
  try {
    storage?.removeItem(SAVED_WORK_KEY);
  } catch {
    // Could not reset; it is ignored all the same.
  }
  return { work: EMPTY_SAVED_WORK, notice: `Saved price overrides, scenarios and custom GPUs could not be read (${parsed.reason}) and were reset.` };
}

export function writeSavedWork(storage: KeyValueStorage | null, work: SavedWork): void {
  try {
    storage?.setItem(SAVED_WORK_KEY, JSON.stringify({ version: 1, ...work, customGpus: work.customGpus.map(customGpuToJson) }));
  } catch {
    // Quota or privacy mode: this page keeps working, it just does not remember.
  }
}

/** The list with `scenario` saved under its name (replacing one of the same name), newest first. */
export function withScenario(scenarios: readonly SavedScenario[], scenario: SavedScenario): SavedScenario[] {
  return [scenario, ...scenarios.filter((s) => s.name !== scenario.name)].slice(0, MAX_SCENARIOS);
}

/** A scenario name as typed: trimmed and capped; empty when unusable. */
export function cleanScenarioName(text: string): string {
  return text.trim().slice(0, MAX_NAME_CHARS);
}

/** The link's inputs, with the remembered price overrides when the link sets none. */
export function withRememberedPrices(inputs: Inputs, work: SavedWork): Inputs {
  if (Object.keys(inputs.priceOverridesUsdPerHour).length > 0) return inputs;
  return { ...inputs, priceOverridesUsdPerHour: { ...work.priceOverridesUsdPerHour } };
}
