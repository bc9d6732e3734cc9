/**
 * Display formatting: engine numbers in, strings out. The only place the UI turns bytes into GiB or
 * GB (STYLE.md §4); every memory string names its unit so "80 GB" and "74.5 GiB" cannot be confused.
 * Components call these and do no arithmetic of their own.
 */
import { GB, GiB, KiB, MiB, MS_PER_S } from '../engine/units';

/** Shown where a figure does not exist (a configuration that does not fit has no latency). */
export const DASH = '—';

/** Digits after the point: 2 below 10, 1 below 1000, 0 above — three significant digits or more. */
function decimalsFor(value: number): number {
  const magnitude = Math.abs(value);
  if (magnitude < 10) return 2;
  if (magnitude < 1000) return 1;
  return 0;
}

const groupedFormatters = new Map<number, Intl.NumberFormat>();
function grouped(value: number, decimals: number): string {
  let formatter = groupedFormatters.get(decimals);
  if (formatter === undefined) {
    formatter = new Intl.NumberFormat('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
    groupedFormatters.set(decimals, formatter);
  }
  return formatter.format(value);
}

/** Bytes as a bare GiB number for CSV cells, e.g. "12.34" (column header carries the unit). */
export function gibNumber(bytes: number): string {
  return (bytes / GiB).toFixed(2);
}

/** 2^30 bytes, as vLLM logs memory: formatGiB(13_358_858_240) → "12.44 GiB". */
export function formatGiB(bytes: number): string {
  const gib = bytes / GiB;
  return `${grouped(gib, decimalsFor(gib))} GiB`;
}

/** 10^9 bytes, as vendors sell memory: formatGB(80e9) → "80.0 GB". */
export function formatGB(bytes: number): string {
  const gb = bytes / GB;
  return `${grouped(gb, decimalsFor(gb))} GB`;
}

/** Milliseconds below one second, seconds above: formatMs(12.345) → "12.3 ms", formatMs(2500) → "2.50 s". */
export function formatMs(ms: number): string {
  if (Math.abs(ms) < MS_PER_S) return `${grouped(ms, decimalsFor(ms))} ms`;
  const s = ms / MS_PER_S;
  return `${grouped(s, decimalsFor(s))} s`;
}

/** In the header's unit whatever the size (a column headed "(ms)" never shows seconds): formatMsOnly(2560) → "2,560 ms". */
export function formatMsOnly(ms: number): string {
  return `${grouped(ms, decimalsFor(ms))} ms`;
}

/** Seconds from milliseconds, for a column headed "(s)": formatSecondsFromMs(16600) → "16.6 s". */
export function formatSecondsFromMs(ms: number): string {
  const s = ms / MS_PER_S;
  return `${grouped(s, decimalsFor(s))} s`;
}

/** formatTokensPerS(12345.6) → "12,346 tok/s". */
export function formatTokensPerS(tokensPerS: number): string {
  return `${grouped(tokensPerS, decimalsFor(tokensPerS))} tok/s`;
}

/** Dollars with cents, or three significant digits below one dollar: "$12.40", "$0.0342". */
export function formatUsd(usd: number): string {
  if (usd !== 0 && Math.abs(usd) < 1) return `$${usd.toPrecision(3)}`;
  return `$${grouped(usd, 2)}`;
}

const threeSignificant = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 3 });

/** Parameter counts: formatParams(8.03e9) → "8.03B", formatParams(6.71e11) → "671B". */
export function formatParams(params: number): string {
  const scales: readonly [number, string][] = [
    [1e12, 'T'],
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'K'],
  ];
  for (const [scale, suffix] of scales) {
    if (Math.abs(params) >= scale) return `${threeSignificant.format(params / scale)}${suffix}`;
  }
  return String(Math.round(params));
}

/** A chart tick: up to three significant digits, no unit (the axis title names it): 0.05 → "0.05", 1500 → "1,500". */
export function formatAxisNumber(value: number): string {
  return threeSignificant.format(value);
}

/** Integers with thousands separators: formatCount(131072) → "131,072". */
export function formatCount(count: number): string {
  return grouped(count, 0);
}

/** A request rate: formatRequestsPerS(20) → "20 req/s", formatRequestsPerS(1.25) → "1.25 req/s". */
export function formatRequestsPerS(ratePerS: number): string {
  return `${formatConcurrency(ratePerS)} req/s`;
}

/** Requests in flight may be fractional in vLLM's log ("Maximum concurrency … : 12.34x"). */
export function formatConcurrency(concurrency: number): string {
  return Number.isInteger(concurrency) ? formatCount(concurrency) : grouped(concurrency, decimalsFor(concurrency));
}

/** A 0–100 percentage: formatPct(12.345) → "12.3 %". */
export function formatPct(pct: number): string {
  return `${grouped(pct, decimalsFor(pct))} %`;
}

/** "TTFT ±x %, ITL ±y %, throughput ±z %": an estimate's error band per metric. */
export function formatErrorBand(band: { ttftPct: number; itlPct: number; throughputPct: number }): string {
  return `TTFT ±${formatPct(band.ttftPct)}, ITL ±${formatPct(band.itlPct)}, throughput ±${formatPct(band.throughputPct)}`;
}

/**
 * [ui-shell] Small byte sizes in binary units (KV bytes per token, state per request):
 * formatBytes(147456) → "144 KiB", formatBytes(512) → "512 B". Large memory figures use formatGiB / formatGB.
 */
export function formatBytes(bytes: number): string {
  const scales: readonly [number, string][] = [
    [GiB, 'GiB'],
    [MiB, 'MiB'],
    [KiB, 'KiB'],
  ];
  for (const [scale, unit] of scales) {
    if (Math.abs(bytes) >= scale) return `${threeSignificant.format(bytes / scale)} ${unit}`;
  }
  return `${formatCount(bytes)} B`;
}

/** Energy per output token: formatJoulesPerToken(0.4) → "0.40 J/token". */
export function formatJoulesPerToken(joules: number): string {
  return `${grouped(joules, decimalsFor(joules))} J/token`;
}
