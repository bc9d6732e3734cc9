/**
 * Where a GPU-hour price comes from (issue 14: "reference prices with no visible source decide
 * winners"): the user's override, or the catalog's reference price with its page, the date it was
 * read and how far it can be trusted (gpus.ts priceSource). The page shows it on every price and in
 * the verdict's footnote; the verdict breaks ties toward a sourced price.
 */
import type { GpuSpec } from './types';

/**
 * - `sourced`: read from a rental page on the date given (a stored copy confirmed it);
 * - `unverified`: a list price the catalog's author did not re-fetch (the note says so);
 * - `estimate`: no public on-demand price exists; the note says how the figure was set;
 * - `override`: the user's own price.
 */
export const PRICE_STATUSES = ['sourced', 'unverified', 'estimate', 'override'] as const;
export type PriceStatus = (typeof PRICE_STATUSES)[number];

export interface PriceProvenance {
  gpuId: string;
  usdPerHour: number;
  status: PriceStatus;
  /** The price page (null for an override). */
  url: string | null;
  /** ISO date the price was read (null for an override). */
  retrieved: string | null;
  note: string | null;
}

/** gpus.ts marks unverified prices with UNVERIFIED_PRICE ("not re-fetched") and estimates with "ESTIMATE:". */
const UNVERIFIED_NOTE = /not re-fetched|unverified/i;
const ESTIMATE_NOTE = /^ESTIMATE\b/;

/** How a catalog (or custom) GPU's reference price was obtained. */
export function catalogPriceStatus(gpu: Pick<GpuSpec, 'priceSource'>): Exclude<PriceStatus, 'override'> {
  const note = gpu.priceSource.note ?? '';
  if (ESTIMATE_NOTE.test(note)) return 'estimate';
  if (UNVERIFIED_NOTE.test(note)) return 'unverified';
  return 'sourced';
}

/** The price a configuration of `gpuId` is costed at and where it comes from; null for an unknown GPU without an override. */
export function priceProvenance(gpuId: string, gpus: readonly GpuSpec[], overridesUsdPerHour: Readonly<Record<string, number>>): PriceProvenance | null {
  const override = overridesUsdPerHour[gpuId];
  if (override !== undefined) return { gpuId, usdPerHour: override, status: 'override', url: null, retrieved: null, note: null };
  const gpu = gpus.find((g) => g.id === gpuId);
  if (gpu === undefined) return null;
  return {
    gpuId,
    usdPerHour: gpu.priceUsdPerHour,
    status: catalogPriceStatus(gpu),
    url: gpu.priceSource.url,
    retrieved: gpu.priceSource.retrieved,
    note: gpu.priceSource.note ?? null,
  };
}
