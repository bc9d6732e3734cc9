/**
 * GPUs the user adds (a part not in the catalog, a private cloud's price): typed into a form or
 * imported as JSON, parsed field by field from `unknown` (STYLE.md habit 8): a bad field is named,
 * never guessed. Units as the form states them: memory in GiB as the runtime reports it (vLLM's
 * "total"), bandwidth in GB/s (10^9 B/s, as datasheets print it), dense TFLOPS, USD per GPU-hour.
 */
import { GB, GiB } from '../engine/units';
import { GPU_IDS } from '../engine/catalog/gpus';
import type { GpuSpec, InterconnectKind } from '../engine/types';

export const CUSTOM_GPU_PREFIX = 'custom:';
const INTERCONNECTS: readonly InterconnectKind[] = ['nvlink', 'pcie', 'xgmi'];

/** The JSON a user writes or exports: plain numbers in the units named by the keys. */
export interface CustomGpuJson {
  name: string;
  memoryGiB: number;
  memBandwidthGBPerS: number;
  bf16Tflops: number;
  fp8Tflops?: number;
  interconnect: InterconnectKind;
  interconnectGBPerS: number;
  gpusPerNode: number;
  tdpWatts: number;
  priceUsdPerHour: number;
}

export type CustomGpuError = { field: string; reason: string };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function num(raw: Record<string, unknown>, field: string, min: number, max: number, optional = false): number | undefined | CustomGpuError {
  const v = raw[field];
  if (v === undefined && optional) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) return { field, reason: 'must be a number' };
  if (v < min || v > max) return { field, reason: `must be between ${min} and ${max}` };
  return v;
}

const isError = (v: unknown): v is CustomGpuError => isRecord(v) && typeof v.field === 'string' && typeof v.reason === 'string';

/** A custom GPU from untrusted JSON: the GpuSpec the engine plans with, or the first bad field. */
export function parseCustomGpu(raw: unknown): { ok: true; value: GpuSpec } | { ok: false; error: CustomGpuError } {
  if (!isRecord(raw)) return { ok: false, error: { field: '(root)', reason: 'must be an object' } };
  const name = typeof raw.name === 'string' ? raw.name.trim().slice(0, 60) : '';
  if (name === '') return { ok: false, error: { field: 'name', reason: 'must be a non-empty text' } };
  // Ranges: generous bounds around real parts (8–300 GiB, 100 GB/s–20 TB/s…) that catch unit slips.
  const fields = {
    memoryGiB: num(raw, 'memoryGiB', 1, 1024),
    memBandwidthGBPerS: num(raw, 'memBandwidthGBPerS', 10, 50_000),
    bf16Tflops: num(raw, 'bf16Tflops', 1, 20_000),
    fp8Tflops: num(raw, 'fp8Tflops', 1, 40_000, true),
    interconnectGBPerS: num(raw, 'interconnectGBPerS', 1, 10_000),
    gpusPerNode: num(raw, 'gpusPerNode', 1, 576),
    tdpWatts: num(raw, 'tdpWatts', 10, 5000),
    priceUsdPerHour: num(raw, 'priceUsdPerHour', 0.001, 1000),
  };
  for (const v of Object.values(fields)) if (isError(v)) return { ok: false, error: v };
  const interconnect = INTERCONNECTS.find((k) => k === raw.interconnect);
  if (interconnect === undefined) return { ok: false, error: { field: 'interconnect', reason: `must be one of ${INTERCONNECTS.join(', ')}` } };
  const n = (v: number | undefined | CustomGpuError): number => (typeof v === 'number' ? v : 0);
  const source = { url: 'user-provided', retrieved: 'n/a', note: 'Custom GPU entered by the user; assumed to reach Hopper-class (or CDNA3 for xGMI) efficiency.' };
  return {
    ok: true,
    value: {
      id: `${CUSTOM_GPU_PREFIX}${name}`,
      name,
      vendor: interconnect === 'xgmi' ? 'amd' : 'nvidia',
      // Efficiency factors are set per generation; a custom part is assumed to behave like Hopper.
      generation: interconnect === 'xgmi' ? 'cdna3' : 'hopper',
      aliases: [],
      memoryBytes: n(fields.memoryGiB) * GiB,
      memBandwidthBytesPerS: n(fields.memBandwidthGBPerS) * GB,
      denseTflops: { bf16: n(fields.bf16Tflops), fp16: n(fields.bf16Tflops), ...(typeof fields.fp8Tflops === 'number' ? { fp8: fields.fp8Tflops } : {}) },
      interconnect: { kind: interconnect, bytesPerS: n(fields.interconnectGBPerS) * GB, gpusPerNode: n(fields.gpusPerNode) },
      tdpWatts: n(fields.tdpWatts),
      priceUsdPerHour: n(fields.priceUsdPerHour),
      source,
      priceSource: source,
    },
  };
}

/** The JSON form of a custom GPU (for export and storage), in the units the form uses. */
export function customGpuToJson(gpu: GpuSpec): CustomGpuJson {
  return {
    name: gpu.name,
    memoryGiB: gpu.memoryBytes / GiB,
    memBandwidthGBPerS: gpu.memBandwidthBytesPerS / GB,
    bf16Tflops: gpu.denseTflops.bf16 ?? 0,
    ...(gpu.denseTflops.fp8 !== undefined ? { fp8Tflops: gpu.denseTflops.fp8 } : {}),
    interconnect: gpu.interconnect.kind,
    interconnectGBPerS: gpu.interconnect.bytesPerS / GB,
    gpusPerNode: gpu.interconnect.gpusPerNode,
    tdpWatts: gpu.tdpWatts,
    priceUsdPerHour: gpu.priceUsdPerHour,
  };
}

/** A list of custom GPUs from JSON: one object or an array; the first bad entry is named by its position. */
export function parseCustomGpuList(raw: unknown): { ok: true; value: GpuSpec[] } | { ok: false; error: CustomGpuError } {
  const items = Array.isArray(raw) ? raw : [raw];
  const out: GpuSpec[] = [];
  for (const [i, item] of items.entries()) {
    const r = parseCustomGpu(item);
    if (!r.ok) return { ok: false, error: { field: items.length > 1 ? `[${i}].${r.error.field}` : r.error.field, reason: r.error.reason } };
    if (GPU_IDS.some((id) => id.toLowerCase() === r.value.name.toLowerCase())) {
      return { ok: false, error: { field: 'name', reason: `"${r.value.name}" is a catalog GPU; pick another name` } };
    }
    out.push(r.value);
  }
  return { ok: true, value: out };
}

/** The list with these GPUs added (replacing custom GPUs of the same id). */
export function withCustomGpus(list: readonly GpuSpec[], added: readonly GpuSpec[]): GpuSpec[] {
  const ids = new Set(added.map((g) => g.id));
  return [...list.filter((g) => !ids.has(g.id)), ...added];
}
