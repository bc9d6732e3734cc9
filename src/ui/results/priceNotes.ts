/**
 * Words for where each price comes from (engine/priceSource.ts): the title of a price cell, the short
 * mark beside it and the verdict's footnote. Formatting only.
 */
import { GPU_CATALOG } from '../../engine/catalog/gpus';
import { priceProvenance, type PriceProvenance, type PriceStatus } from '../../engine/priceSource';
import type { GpuSpec, RecommendRequest, RecommendResult } from '../../engine/types';
import { formatUsd } from '../format';

/** One entry per GPU type in the result: the price it was costed at and its provenance. */
export function selectPrices(
  result: Pick<RecommendResult, 'candidates'>,
  request: Pick<RecommendRequest, 'priceOverridesUsdPerHour'>,
  customGpus: readonly GpuSpec[] = [],
): ReadonlyMap<string, PriceProvenance> {
  const gpus = [...GPU_CATALOG, ...customGpus];
  const prices = new Map<string, PriceProvenance>();
  for (const { gpuId } of result.candidates) {
    if (prices.has(gpuId)) continue;
    const provenance = priceProvenance(gpuId, gpus, request.priceOverridesUsdPerHour);
    if (provenance !== null) prices.set(gpuId, provenance);
  }
  return prices;
}

/** Beside a price that is not a sourced rental price: "est.", "unchecked", "yours"; empty when sourced. */
export const PRICE_MARKS: Record<PriceStatus, string> = { sourced: '', unverified: 'unchecked', estimate: 'est.', override: 'yours' };

const STATUS_WORDS: Record<PriceStatus, string> = {
  sourced: 'on-demand list price',
  unverified: 'list price not re-checked',
  estimate: 'estimate (no public on-demand price)',
  override: 'your price',
};

/** "$3.78 per GPU-hour for H100: on-demand list price, read 2026-05-07 — Lambda 1x H100 SXM on-demand (https://…)". */
export function priceSentence(p: PriceProvenance): string {
  const head = `${formatUsd(p.usdPerHour)} per GPU-hour for ${p.gpuId}: ${STATUS_WORDS[p.status]}`;
  if (p.status === 'override') return `${head} (set under Hardware → GPU types and prices).`;
  const read = p.retrieved === null ? '' : `, read ${p.retrieved}`;
  const note = p.note === null ? '' : ` — ${p.note}`;
  const url = p.url === null ? '' : ` (${p.url})`;
  return `${head}${read}${note}${url}.`;
}
