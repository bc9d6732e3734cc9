/**
 * GPUs the user adds (a part not in the catalog, a private cloud's price): typed into a form or
 * imported as JSON, parsed field by field from `unknown` (STYLE.md habit 8): every bad field is named,
 * never guessed; optional fields get a stated default. Units as the keys say: memory in GiB as the
 * runtime reports it (vLLM's "total", torch.cuda.mem_get_info), bandwidths in GB/s (10^9 B/s, as
 * datasheets print them), dense TFLOPS, watts, USD per GPU-hour.
 */
import { parseConfigJson } from '../engine/arch/parseConfigJson';
import { GPU_CATALOG } from '../engine/catalog/gpus';
import { err, ok, type Result } from '../engine/result';
import { GPU_GENERATIONS, type GpuGeneration, type GpuSpec, type InterconnectKind } from '../engine/types';
import { GB, GiB } from '../engine/units';
import { CUSTOM_GPU_ID_PREFIX } from '../worker/protocol';

export const INTERCONNECT_KINDS = ['nvlink', 'pcie', 'xgmi'] as const satisfies readonly InterconnectKind[];

/** Each custom GPU multiplies the layouts the engine plans; a handful covers real use. */
export const MAX_CUSTOM_GPUS = 20;
const MAX_NAME_CHARS = 60;
/** Letters, digits, space and . _ ( ) + - / : no ',' (the link's list separator) and nothing markup-like. */
const NAME_PATTERN = /^[\p{L}\p{N} ._()+\-/]+$/u;

/** The JSON a user writes, imports or exports: plain numbers in the units named by the keys. */
export interface CustomGpuJson {
  name: string;
  memoryGiB: number;
  memBandwidthGBPerS: number;
  bf16Tflops: number;
  /** Absent = no FP8 tensor cores (FP8 models then run at the BF16 rate, as on Ampere). */
  fp8Tflops?: number;
  interconnect: InterconnectKind;
  /** Unidirectional per GPU, as types.ts GpuSpec.interconnect.bytesPerS. */
  interconnectGBPerS: number;
  gpusPerNode: number;
  tdpWatts: number;
  priceUsdPerHour: number;
  /** Which generation's measured kernel efficiencies (engine/calibration.ts) to assume. */
  efficiencyLike?: GpuGeneration;
}

export const CUSTOM_GPU_FIELDS = [
  'name',
  'memoryGiB',
  'memBandwidthGBPerS',
  'bf16Tflops',
  'fp8Tflops',
  'interconnect',
  'interconnectGBPerS',
  'gpusPerNode',
  'tdpWatts',
  'priceUsdPerHour',
  'efficiencyLike',
] as const satisfies readonly (keyof CustomGpuJson)[];
export type CustomGpuField = (typeof CUSTOM_GPU_FIELDS)[number];

/** `field` is a CustomGpuField, prefixed with `[i].` inside a list; '(root)' when the whole value is wrong. */
export interface CustomGpuError {
  field: string;
  reason: string;
}

type NumberField = Exclude<CustomGpuField, 'name' | 'interconnect' | 'efficiencyLike'>;
interface NumberRule {
  min: number;
  max: number;
  integer?: boolean;
  optional?: boolean;
}

/**
 * Generous bounds around real parts that still catch unit slips (bandwidth typed in TB/s, memory in
 * bytes). Largest catalog parts for scale (engine/catalog/gpus.ts): ~180 GiB, 8,000 GB/s, 2,250 dense
 * BF16 TFLOPS (B200); NVLink 5 is 900 GB/s per direction; NVL576 puts 576 GPUs in one NVLink domain.
 */
const NUMBER_RULES: Record<NumberField, NumberRule> = {
  memoryGiB: { min: 1, max: 1024 },
  memBandwidthGBPerS: { min: 10, max: 50_000 },
  bf16Tflops: { min: 1, max: 20_000 },
  fp8Tflops: { min: 1, max: 40_000, optional: true },
  interconnectGBPerS: { min: 1, max: 10_000 },
  gpusPerNode: { min: 1, max: 576, integer: true },
  tdpWatts: { min: 10, max: 5_000 },
  priceUsdPerHour: { min: 0.001, max: 1_000 },
};

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function readNumber(raw: Record<string, unknown>, field: NumberField, errors: CustomGpuError[]): number | undefined {
  const rule = NUMBER_RULES[field];
  const v = raw[field];
  if (v === undefined || v === null) {
    if (rule.optional !== true) errors.push({ field, reason: 'is required' });
    return undefined;
  }
  if (typeof v !== 'number' || !Number.isFinite(v)) errors.push({ field, reason: 'must be a number' });
  else if (v < rule.min || v > rule.max) errors.push({ field, reason: `must be between ${rule.min} and ${rule.max}` });
  else if (rule.integer === true && !Number.isInteger(v)) errors.push({ field, reason: 'must be a whole number' });
  else return v;
  return undefined;
}

function readName(raw: Record<string, unknown>, errors: CustomGpuError[]): string | undefined {
  const name = typeof raw.name === 'string' ? raw.name.trim() : '';
  if (name === '') errors.push({ field: 'name', reason: 'must be a non-empty text' });
  else if (name.length > MAX_NAME_CHARS) errors.push({ field: 'name', reason: `must be at most ${MAX_NAME_CHARS} characters` });
  else if (!NAME_PATTERN.test(name)) errors.push({ field: 'name', reason: 'may use letters, digits, spaces and . _ ( ) + - / only' });
  else if (GPU_CATALOG.some((g) => g.id.toLowerCase() === name.toLowerCase() || g.name.toLowerCase() === name.toLowerCase())) {
    errors.push({ field: 'name', reason: `"${name}" is a catalog GPU; pick another name` });
  } else return name;
  return undefined;
}

function readChoice<T extends string>(raw: Record<string, unknown>, field: CustomGpuField, options: readonly T[], errors: CustomGpuError[]): T | undefined {
  const found = options.find((o) => o === raw[field]);
  if (found === undefined) errors.push({ field, reason: `must be one of ${options.join(', ')}` });
  return found;
}

/** The generation assumed when none is given: the calibration's best-measured one for the fabric. */
function defaultGeneration(interconnect: InterconnectKind): GpuGeneration {
  return interconnect === 'xgmi' ? 'cdna3' : 'hopper';
}

/** A custom GPU from untrusted JSON: the GpuSpec the engine plans with, or every bad field. */
export function parseCustomGpu(raw: unknown): Result<GpuSpec, CustomGpuError[]> {
  if (!isRecord(raw)) return err([{ field: '(root)', reason: 'must be an object' }]);
  const errors: CustomGpuError[] = [];
  const name = readName(raw, errors);
  const memoryGiB = readNumber(raw, 'memoryGiB', errors);
  const memBandwidthGBPerS = readNumber(raw, 'memBandwidthGBPerS', errors);
  const bf16Tflops = readNumber(raw, 'bf16Tflops', errors);
  const fp8Tflops = readNumber(raw, 'fp8Tflops', errors);
  const interconnect = readChoice(raw, 'interconnect', INTERCONNECT_KINDS, errors);
  const interconnectGBPerS = readNumber(raw, 'interconnectGBPerS', errors);
  const gpusPerNode = readNumber(raw, 'gpusPerNode', errors);
  const tdpWatts = readNumber(raw, 'tdpWatts', errors);
  const priceUsdPerHour = readNumber(raw, 'priceUsdPerHour', errors);
  const efficiencyLike =
    raw.efficiencyLike === undefined || raw.efficiencyLike === null
      ? defaultGeneration(interconnect ?? 'nvlink')
      : readChoice(raw, 'efficiencyLike', GPU_GENERATIONS, errors);
  if (
    errors.length > 0 ||
    name === undefined ||
    memoryGiB === undefined ||
    memBandwidthGBPerS === undefined ||
    bf16Tflops === undefined ||
    interconnect === undefined ||
    interconnectGBPerS === undefined ||
    gpusPerNode === undefined ||
    tdpWatts === undefined ||
    priceUsdPerHour === undefined ||
    efficiencyLike === undefined
  ) {
    return err(errors);
  }
  const source = {
    url: 'user-provided',
    retrieved: 'n/a',
    note: `Custom GPU entered by the user; kernel efficiencies assumed equal to the ${efficiencyLike} generation's.`,
  };
  return ok({
    id: `${CUSTOM_GPU_ID_PREFIX}${name}`,
    name,
    vendor: efficiencyLike.startsWith('cdna') ? 'amd' : 'nvidia',
    generation: efficiencyLike,
    aliases: [],
    memoryBytes: memoryGiB * GiB,
    memBandwidthBytesPerS: memBandwidthGBPerS * GB,
    // FP16 tensor throughput equals BF16 on every catalog part.
    denseTflops: { bf16: bf16Tflops, fp16: bf16Tflops, ...(fp8Tflops === undefined ? {} : { fp8: fp8Tflops }) },
    interconnect: { kind: interconnect, bytesPerS: interconnectGBPerS * GB, gpusPerNode },
    tdpWatts,
    priceUsdPerHour,
    source,
    priceSource: source,
  });
}

/** Undoes the unit scaling without float noise (3350.5 GB/s stays 3350.5, not 3350.4999999999995). */
const tidy = (v: number): number => Number(v.toPrecision(12));

/** The JSON form of a custom GPU (for export and storage), in the units the form uses. */
export function customGpuToJson(gpu: GpuSpec): CustomGpuJson {
  return {
    name: gpu.name,
    memoryGiB: tidy(gpu.memoryBytes / GiB),
    memBandwidthGBPerS: tidy(gpu.memBandwidthBytesPerS / GB),
    bf16Tflops: gpu.denseTflops.bf16 ?? 0,
    ...(gpu.denseTflops.fp8 === undefined ? {} : { fp8Tflops: gpu.denseTflops.fp8 }),
    interconnect: gpu.interconnect.kind,
    interconnectGBPerS: tidy(gpu.interconnect.bytesPerS / GB),
    gpusPerNode: gpu.interconnect.gpusPerNode,
    tdpWatts: gpu.tdpWatts,
    priceUsdPerHour: gpu.priceUsdPerHour,
    efficiencyLike: gpu.generation,
  };
}

/** Export text: a JSON array of CustomGpuJson, which importCustomGpus reads back. */
export function customGpusToJsonText(gpus: readonly GpuSpec[]): string {
  return JSON.stringify(gpus.map(customGpuToJson), null, 2);
}

/** A list of custom GPUs from JSON: one object or an array; bad entries are named by position. */
export function parseCustomGpuList(raw: unknown): Result<GpuSpec[], CustomGpuError[]> {
  const isList = Array.isArray(raw);
  const items: readonly unknown[] = Array.isArray(raw) ? raw : [raw];
  if (items.length > MAX_CUSTOM_GPUS) return err([{ field: '(root)', reason: `holds ${items.length} GPUs; at most ${MAX_CUSTOM_GPUS} are kept` }]);
  const out: GpuSpec[] = [];
  const errors: CustomGpuError[] = [];
  items.forEach((item, i) => {
    const at = (field: string): string => (isList ? `[${i}].${field}` : field);
    const parsed = parseCustomGpu(item);
    if (!parsed.ok) errors.push(...parsed.error.map((e) => ({ field: at(e.field), reason: e.reason })));
    else if (out.some((g) => g.id === parsed.value.id)) errors.push({ field: at('name'), reason: `"${parsed.value.name}" appears twice` });
    else out.push(parsed.value);
  });
  return errors.length > 0 ? err(errors) : ok(out);
}

/** One line per bad field, for the form's alert: `memoryGiB must be a number`. */
export function describeCustomGpuErrors(errors: readonly CustomGpuError[]): string {
  return errors.map((e) => `${e.field} ${e.reason}`).join('; ');
}

/** The list with these GPUs added (replacing custom GPUs of the same id), capped at MAX_CUSTOM_GPUS. */
export function withCustomGpus(list: readonly GpuSpec[], added: readonly GpuSpec[]): GpuSpec[] {
  const ids = new Set(added.map((g) => g.id));
  return [...list.filter((g) => !ids.has(g.id)), ...added].slice(-MAX_CUSTOM_GPUS);
}

/** Catalog ids plus the user's: what links, scenarios and saved prices may name. */
export function gpuIdsWithCustom(catalogIds: readonly string[], customGpus: readonly GpuSpec[]): string[] {
  return [...catalogIds, ...customGpus.map((g) => g.id)];
}

/** The form's text fields, as typed. */
export type CustomGpuDraft = Record<CustomGpuField, string>;

export const EMPTY_CUSTOM_GPU_DRAFT: CustomGpuDraft = {
  name: '',
  memoryGiB: '',
  memBandwidthGBPerS: '',
  bf16Tflops: '',
  fp8Tflops: '',
  interconnect: 'nvlink',
  interconnectGBPerS: '',
  gpusPerNode: '',
  tdpWatts: '',
  priceUsdPerHour: '',
  efficiencyLike: '',
};

/**
 * The form's text as the JSON an import would carry, then parsed the same way: one rule set for
 * both. Empty = absent (required fields then say so); any other text must read as a number.
 */
export function parseCustomGpuDraft(draft: CustomGpuDraft): Result<GpuSpec, CustomGpuError[]> {
  const raw: Record<string, unknown> = {};
  for (const field of CUSTOM_GPU_FIELDS) {
    const text = draft[field].trim();
    if (text === '') continue;
    const isText = field === 'name' || field === 'interconnect' || field === 'efficiencyLike';
    raw[field] = isText ? text : Number(text);
  }
  return parseCustomGpu(raw);
}

/** Imported text: JSON (where it breaks, when it does not parse), then parseCustomGpuList. */
export function parseCustomGpuText(text: string): Result<GpuSpec[], string> {
  const json = parseConfigJson(text);
  if (!json.ok) {
    const where = json.error.kind === 'malformed-json' && json.error.line !== undefined ? ` (line ${json.error.line}, column ${json.error.column ?? '?'})` : '';
    return err(`Not valid JSON${where}.`);
  }
  const parsed = parseCustomGpuList(json.value);
  return parsed.ok ? parsed : err(`Not imported: ${describeCustomGpuErrors(parsed.error)}.`);
}
