/**
 * Words for the engine's verdict (engine/verdict.ts) and row fixes (engine/fixes.ts): formatting
 * only, every figure comes from the engine.
 */
import type { FixChange, Layout, LatencyLimit, MissedLimit, Simplicity, Verdict, VerdictAtTarget, VerdictBasis, VerdictLoad, VerdictRow } from '../../engine/types';
import { formatCount, formatMs, formatPct, formatRequestsPerS, formatUsd } from '../format';
import { layoutLabel } from './tableRows';

/** "TP2", "TP4 · PP2", "DP8 · TP1 · EP8" (tableRows.ts layoutLabel, one wording for the page). */
export function layoutName(layout: Layout): string {
  return layoutLabel(layout);
}

/** "1 × H100 (TP1)". */
export function configName(row: Pick<VerdictRow, 'gpuCount' | 'gpuId' | 'layout'>): string {
  return `${formatCount(row.gpuCount)} × ${row.gpuId} (${layoutName(row.layout)})`;
}

export const LIMIT_NAMES: Record<LatencyLimit, string> = { ttft: 'TTFT', itl: 'ITL', e2e: 'end-to-end' };

/** "@ 32 concurrent", "@ saturation" (every request at once). */
export function operatingPoint(concurrency: number | null, load: VerdictLoad): string {
  if (concurrency === null || load === 'saturation') return '@ saturation (all requests at once)';
  return `@ ${formatCount(concurrency)} concurrent`;
}

function listWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1] ?? ''}`;
}

function missedWords(missed: readonly MissedLimit[]): string {
  // An unbounded achieved figure: no simulated rate meets the limit (sloJudgement.ts, 'slo-unreachable').
  const achieved = (m: MissedLimit): string => (Number.isFinite(m.achievedMs) ? `${formatMs(m.achievedMs)} > ${formatMs(m.limitMs)}` : `at any rate, ≤ ${formatMs(m.limitMs)}`);
  return missed.length === 0 ? 'misses a limit' : `misses the ${listWords(missed.map((m) => `${LIMIT_NAMES[m.limit]} limit (${achieved(m)})`))}`;
}

/** A simulated row's figures at the target rate: "p99 ITL 45 ms, p99 TTFT 1.2 s at 20 req/s on 3 copies ($18/h), simulated". */
export function atTargetWords(a: VerdictAtTarget): string {
  const copies = `${formatCount(a.replicasNeeded)} ${a.replicasNeeded === 1 ? 'copy' : 'copies'}`;
  return `p${a.percentile} ITL ${formatMs(a.itlMs)}, p${a.percentile} TTFT ${formatMs(a.ttftMs)} at ${formatRequestsPerS(a.targetRequestsPerS)} on ${copies} (${formatUsd(a.costUsdPerHour)}/h), simulated`;
}

/** What a verdict under a target rate rests on (engine VerdictBasis): the simulator's percentiles, or the interim closed-form estimate. */
export function basisWords(b: VerdictBasis | undefined): string | null {
  if (b === undefined) return null;
  const rows = `${formatCount(b.simulatedRows)} of ${formatCount(b.simulatedRows + b.estimatedRows)} rows simulated`;
  if (b.decidingRowSimulated) return `Judged on the simulated p${b.percentile} latencies at ${formatRequestsPerS(b.targetRequestsPerS)} (${rows}; the others are closed-form estimates).`;
  return `Interim estimate: this row is judged on the closed form's mean latencies against the p${b.percentile} limits until the simulator reaches it (${rows}).`;
}

const SIMPLER_WORDS: Record<Simplicity, string> = { 'fewer-gpus': 'fewer GPUs', 'no-pp': 'no pipeline parallelism', 'sourced-price': 'a sourced rental price' };

/** The smallest single change, in words: "Use FP8 KV cache", "Use 2 × H100 (TP2)". */
/**
 * Under a target request rate a fix for a missed latency limit is checked on the closed form's mean
 * latencies until it is simulated at the rate (engine RowAdvice.fixCheckedOn; the page simulates the
 * selected row's fix, state/capacityRunner.ts): an approximation, said so, and how to get it simulated.
 */
export const CLOSED_FORM_FIX_NOTE =
  "This fix is checked on the closed form's mean latencies, not simulated at the target rate: an approximation. Select its row to simulate it at the rate.";
/** The same fix once simulated at the rate (RowAdvice.fixCheckedOn 'simulated'): its own run, or its layout's simulated row, meets the limits. */
export const SIMULATED_FIX_NOTE = 'This fix is simulated at the target rate: with it the row meets the limits at their percentile.';
/** The short form the table's "How to pass" cell appends. */
export const CLOSED_FORM_FIX_TAG = '(closed-form check)';
/** While the selected row's fix runs in the worker (RowAdvice.fixCheckedOn 'simulating'): the closed form's check until it is back. */
export const SIMULATING_FIX_NOTE = "Simulating this fix at the target rate… Until the run is back it stands on the closed form's mean latencies.";
export const SIMULATING_FIX_TAG = '(simulating…)';

export function fixText(fix: FixChange): string {
  switch (fix.kind) {
    case 'max-model-len':
      return `Set max_model_len to ${formatCount(fix.maxModelLenTokens)}`;
    case 'kv-cache-dtype':
      return 'Use an FP8 KV cache';
    case 'weight-precision':
      return `Use a ${fix.weightPrecision.toUpperCase()} quantized checkpoint`;
    case 'layout':
      return `Use ${configName(fix)}${fix.maxGpus === null ? '' : ` (GPU budget ${formatCount(fix.maxGpus)})`}`;
    case 'concurrency':
      return `Lower the load to ${formatCount(fix.concurrency)} concurrent`;
    case 'slo': {
      const parts: string[] = [];
      if (fix.limits.maxTtftMs != null) parts.push(`TTFT ≤ ${formatMs(fix.limits.maxTtftMs)}`);
      if (fix.limits.maxItlMs != null) parts.push(`ITL ≤ ${formatMs(fix.limits.maxItlMs)}`);
      if (fix.limits.maxE2eMs != null) parts.push(`end-to-end ≤ ${formatMs(fix.limits.maxE2eMs)}`);
      return `Loosen the limit to ${listWords(parts)}`;
    }
    default: {
      const _exhaustive: never = fix;
      return _exhaustive;
    }
  }
}

/** The verdict as sentences: the headline (recommendation + reason) and the competitor line. */
export interface VerdictWords {
  headline: string;
  detail: string | null;
  /** Under a target rate: what the judgement rests on (basisWords). */
  basis: string | null;
}

export function verdictWords(verdict: Verdict, modelName: string): VerdictWords {
  switch (verdict.kind) {
    case 'pick': {
      const p = verdict.pick;
      const basis = basisWords(verdict.basis);
      const figures = p.atTarget !== undefined ? atTargetWords(p.atTarget) : `ITL ${formatMs(p.itlMs)}, TTFT ${formatMs(p.ttftMs)} ${operatingPoint(p.concurrency, verdict.load)}, ${formatUsd(p.usdPerMillionOutputTokens)} per M output tokens`;
      const why =
        verdict.reason === 'cheapest-no-slo'
          ? ' — the cheapest per token; no latency limit is set'
          : verdict.reason === 'simpler-in-tie'
            ? ` — the simplest deployment within the ±${formatPct(verdict.tieBandPct)} error band of the cheapest`
            : ' — the cheapest that meets every latency limit';
      const headline = `Serve ${modelName} on ${configName(p)}: ${figures}${why}.`;
      const c = verdict.competitor;
      if (c === null) return { headline, detail: null, basis };
      const diff = Math.abs(c.costDiffPct);
      const name = configName(c.row);
      let detail: string;
      if (c.loss.kind === 'misses-slo') detail = `${name} is ${formatPct(diff)} cheaper but ${missedWords(c.loss.missed)}.`;
      else if (c.loss.kind === 'costs-more') detail = `Next best: ${name} costs ${formatPct(diff)} more per token.`;
      else {
        const cheaper = c.costDiffPct < 0 ? `${formatPct(diff)} cheaper` : `${formatPct(diff)} dearer`;
        const simpler = c.loss.pickSimplerBy.length === 0 ? '' : `; the pick needs ${listWords(c.loss.pickSimplerBy.map((s) => SIMPLER_WORDS[s]))}`;
        detail = `Tie: ${name} is ${cheaper}, within the ±${formatPct(verdict.tieBandPct)} error band${simpler}.`;
      }
      return { headline, detail, basis };
    }
    case 'none-meets-slo': {
      const r = verdict.closest;
      const b = verdict.basis;
      const at = b !== undefined && b.decidingRowSimulated ? `at ${formatRequestsPerS(b.targetRequestsPerS)}` : operatingPoint(r.concurrency, verdict.load);
      const headline = `No configuration meets the latency limits. Closest: ${configName(r)} ${at}, which ${missedWords(verdict.missed)}.`;
      return { headline, detail: verdict.fix === null ? null : `Nearest fix: ${fixText(verdict.fix)}.`, basis: basisWords(verdict.basis) };
    }
    case 'none-fits': {
      const needs = verdict.needsGpus === null || verdict.gpuId === null ? '' : ` (${modelName} needs ≥ ${formatCount(verdict.needsGpus)} × ${verdict.gpuId})`;
      return {
        headline: `No configuration fits in the GPU budget${needs}.`,
        detail: verdict.fix === null ? 'Raise the GPU budget or choose larger GPUs.' : `Nearest fix: ${fixText(verdict.fix)}.`,
        basis: null,
      };
    }
    case 'no-result':
      return { headline: 'No recommendation for this request (see the warnings below).', detail: null, basis: null };
    default: {
      const _exhaustive: never = verdict;
      return _exhaustive;
    }
  }
}
