/**
 * The app's one store: zustand vanilla core (framework-free, STYLE.md habit 1), slices inputs /
 * model / results / ui with their actions beside them. Side effects (Hub loading, computing, URL
 * sync) live in effects.ts and only call these actions.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { DEFAULT_INPUTS, type Inputs } from './inputs';
import { EMPTY_CAPACITY, EMPTY_DISAGG, type AppState, type AppStore, type ResultsState } from './slices';
import { candidateKey, carryIndices, visibleView } from './selectors';
import { withScenario, type SavedScenario } from './savedWork';
import { decodeInputs, encodeInputs } from './urlCodec';
import { GPU_IDS } from '../engine/catalog/gpus';
import type { GpuSpec } from '../engine/types';
import { gpuIdsWithCustom, withCustomGpus } from './customGpus';
import { withPriceOverride } from './gpuSelection';
import { noticesFrom, type Notice } from './notices';
import { inputsWithFix } from './applyFix';
import type { Layout } from '../engine/types';

const sameLayout = (a: Layout, b: Layout): boolean => a.tp === b.tp && a.pp === b.pp && a.dp === b.dp && a.ep === b.ep;

export type AppStoreApi = StoreApi<AppStore>;

export interface InitialAppState {
  inputs?: Inputs;
  hubToken?: string;
  notices?: readonly Notice[];
  theme?: AppState['ui']['theme'];
  scenarios?: readonly SavedScenario[];
  customGpus?: readonly GpuSpec[];
}

export function initialAppState(initial: InitialAppState = {}): AppState {
  const inputs = initial.inputs ?? DEFAULT_INPUTS;
  return {
    inputs,
    model: { status: 'loading', modelId: inputs.modelId },
    modelLoadAttempt: 0,
    hubToken: initial.hubToken ?? '',
    results: { status: 'idle' },
    capacity: EMPTY_CAPACITY,
    disagg: EMPTY_DISAGG,
    ui: {
      theme: initial.theme ?? 'system',
      selectedIndex: null,
      compareIndices: [],
      notices: initial.notices ?? [],
      pasteDialogOpen: false,
      visibleRowKeys: [],
    },
    scenarios: initial.scenarios ?? [],
    customGpus: initial.customGpus ?? [],
  };
}

/** Selection and compare ticks follow their configurations into a new result (indices get re-ranked). */
function carrySelection(state: AppState, next: ResultsState): AppState['ui'] {
  if (next.status === 'computing') return state.ui;
  const before = visibleView(state.results)?.result.candidates ?? [];
  const after = next.status === 'ready' ? next.view.result.candidates : [];
  const selected = state.ui.selectedIndex === null ? [] : carryIndices(before, after, [state.ui.selectedIndex]);
  return { ...state.ui, selectedIndex: selected[0] ?? null, compareIndices: carryIndices(before, after, state.ui.compareIndices) };
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((k, i) => k === b[i]);
}

/** A link's selected row (inputs.selectedConfig) is selected once a result has it and nothing else is selected. */
function restoreSelection(ui: AppState['ui'], selectedConfig: string | null, next: ResultsState): AppState['ui'] {
  if (ui.selectedIndex !== null || selectedConfig === null || next.status !== 'ready') return ui;
  const index = next.view.result.candidates.findIndex((c) => candidateKey(c) === selectedConfig);
  return index < 0 ? ui : { ...ui, selectedIndex: index };
}

/** A link's compared rows (inputs.compareConfigs) are ticked once a result has them and nothing else is ticked. */
function restoreCompare(ui: AppState['ui'], compareConfigs: readonly string[], next: ResultsState): AppState['ui'] {
  if (ui.compareIndices.length > 0 || compareConfigs.length === 0 || next.status !== 'ready') return ui;
  const position = new Map(next.view.result.candidates.map((c, i) => [candidateKey(c), i]));
  const indices = compareConfigs.flatMap((key) => {
    const index = position.get(key);
    return index === undefined ? [] : [index];
  });
  return indices.length === 0 ? ui : { ...ui, compareIndices: indices };
}

export function createAppStore(initial: InitialAppState = {}): AppStoreApi {
  return createStore<AppStore>()((set) => ({
    ...initialAppState(initial),
    setInput: (key, value) => set((s) => ({ inputs: { ...s.inputs, [key]: value } })),
    replaceInputs: (inputs) => set({ inputs }),
    applyFix: (fix, index) =>
      set((s) => {
        // A layout fix selects that layout's row when the shown result has it; any other fix keeps the
        // fixed row selected (the selection follows its configuration into the recomputed result).
        const candidates = visibleView(s.results)?.result.candidates ?? [];
        const target = fix.kind === 'layout' ? candidates.findIndex((c) => c.gpuId === fix.gpuId && sameLayout(c.layout, fix.layout)) : (index ?? -1);
        return { inputs: inputsWithFix(s.inputs, fix), ui: target >= 0 ? { ...s.ui, selectedIndex: target } : s.ui };
      }),
    retryModel: () => set((s) => ({ modelLoadAttempt: s.modelLoadAttempt + 1 })),
    cancelModelLoad: () =>
      set((s) => (s.model.status === 'loading' ? { model: { status: 'error', modelId: s.model.modelId, error: { kind: 'cancelled' } } } : {})),
    setModel: (model) => set({ model }),
    setHubToken: (hubToken) => set({ hubToken }),
    setResults: (results) =>
      set((s) => ({ results, ui: restoreCompare(restoreSelection(carrySelection(s, results), s.inputs.selectedConfig, results), s.inputs.compareConfigs, results) })),
    setCapacity: (capacity) => set({ capacity }),
    setDisagg: (disagg) => set({ disagg }),
    setVisibleRowKeys: (keys) =>
      set((s) => (sameKeys(s.ui.visibleRowKeys, keys) ? {} : { ui: { ...s.ui, visibleRowKeys: [...keys] } })),
    setTheme: (theme) => set((s) => ({ ui: { ...s.ui, theme } })),
    select: (selectedIndex) =>
      set((s) => {
        const candidate = selectedIndex === null ? undefined : visibleView(s.results)?.result.candidates[selectedIndex];
        const selectedConfig = candidate === undefined ? null : candidateKey(candidate);
        return { ui: { ...s.ui, selectedIndex }, inputs: s.inputs.selectedConfig === selectedConfig ? s.inputs : { ...s.inputs, selectedConfig } };
      }),
    setCompare: (compareIndices) =>
      set((s) => {
        // The ticked rows' configurations go into the inputs too, so the link restores the compared curves.
        const candidates = visibleView(s.results)?.result.candidates ?? [];
        const compareConfigs = compareIndices.flatMap((i) => {
          const candidate = candidates[i];
          return candidate === undefined ? [] : [candidateKey(candidate)];
        });
        return { ui: { ...s.ui, compareIndices }, inputs: { ...s.inputs, compareConfigs } };
      }),
    addNotices: (notices) => set((s) => ({ ui: { ...s.ui, notices: [...s.ui.notices, ...notices] } })),
    dismissNotices: () => set((s) => ({ ui: { ...s.ui, notices: [] } })),
    setPasteDialogOpen: (pasteDialogOpen) => set((s) => ({ ui: { ...s.ui, pasteDialogOpen } })),
    saveScenario: (name, savedAtIso, snapshot) =>
      set((s) => ({ scenarios: withScenario(s.scenarios, { name, fragment: encodeInputs(s.inputs), savedAtIso, ...(snapshot === undefined ? {} : { snapshot }) }) })),
    deleteScenario: (name) => set((s) => ({ scenarios: s.scenarios.filter((x) => x.name !== name) })),
    addCustomGpus: (gpus) => set((s) => ({ customGpus: withCustomGpus(s.customGpus, gpus) })),
    // A removed GPU leaves no trace in the inputs (considered set, price override).
    removeCustomGpu: (id) =>
      set((s) => ({
        customGpus: s.customGpus.filter((g) => g.id !== id),
        inputs: {
          ...s.inputs,
          gpuIds: s.inputs.gpuIds === null ? null : s.inputs.gpuIds.filter((g) => g !== id),
          priceOverridesUsdPerHour: withPriceOverride(s.inputs.priceOverridesUsdPerHour, id, null),
        },
      })),
    loadScenario: (name) =>
      set((s) => {
        const scenario = s.scenarios.find((x) => x.name === name);
        if (scenario === undefined) return {};
        const decoded = decodeInputs(scenario.fragment, { knownGpuIds: gpuIdsWithCustom(GPU_IDS, s.customGpus) });
        return { inputs: decoded.inputs, ui: { ...s.ui, notices: [...s.ui.notices, ...noticesFrom('scenario', decoded.notices)] } };
      }),
  }));
}
