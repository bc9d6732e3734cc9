/**
 * The whole configuration in the URL fragment, so a link reproduces the same inputs (and therefore
 * the same table). The fragment survives GitHub Pages sub-paths and never reaches a server.
 *
 *   #v=2&m=Qwen/Qwen3-8B&i=2048&c=max&u=0.95&g=h100-sxm,h200&p=h100-sxm:2.1&s=-ttft
 *
 * Keys added later (the load settings `ld r b sp`; the prefix cache `ps ph` and speculative decoding `sm sk sa st sd`; the serving shape `sh pg dg prt pdr`) are omitted at their defaults, so a link made
 * before them decodes to the same inputs, and a page before them ignores them (unknown keys):
 * adding a key is not a format change.
 *
 * Versioned (`v`), compact (short keys, values equal to the default omitted). Decoding treats the
 * text as untrusted: every field is validated on its own and restored to its default when invalid,
 * unknown keys are ignored, and each rejected value yields a notice for the user (zustand `persist`
 * version/migrate, excalidraw data/restore.ts). The Hub token is never part of it.
 */
import { KV_CACHE_DTYPES, REPLICA_ROUTINGS, SERVING_ENGINES, VLLM_VERSIONS, WEIGHT_PRECISIONS } from '../engine/types';
import { RESULT_COLUMNS } from './tableState';
import { DISAGG_ROUTINGS } from '../engine/disagg/routing';
import { DEFAULT_INPUTS, LOAD_KINDS, PAGE_SPEC_METHODS, SERVING_SHAPES, type Inputs } from './inputs';
import { MAX_PAGE_DISAGG_GPUS_PER_ROLE } from '../engine/disagg/disaggRows';
import {
  parseConcurrency,
  parseGpuMemoryUtilization,
  parseMaxGpus,
  parseFlag,
  parseMember,
  parseModelId,
  parseOptionalCount,
  parseOptionalFraction,
  parseOtherMemoryGiB,
  parsePriceUsdPerHour,
  parseBurstiness,
  parsePrefixHitRate,
  parsePrefixTokens,
  parseRatePerS,
  parseSpecAcceptance,
  parseSpecDraftTokens,
  parseSpecTokens,
  parseSpecTopk,
  parseSloMs,
  parseSloPercentile,
  parseTokens,
  type Parsed,
} from './inputRules';
import { err, ok } from '../engine/result';
import { CUSTOM_GPU_ID_PREFIX } from '../worker/protocol';

export const URL_FORMAT_VERSION = '2';
const VERSION_KEY = 'v';

/**
 * What changed in the defaults since each older format version: a link omits values equal to the
 * defaults of ITS version, so an old link is read against those. Version 1 (until issue 14) had no
 * latency limit by default and a fixed max_model_len; version 2 opens on the chat preset's limits
 * (inputs.ts) and a max_model_len that follows the request size.
 */
const OLDER_DEFAULTS: Readonly<Record<string, Partial<Inputs>>> = {
  '1': { maxTtftMs: null, maxItlMs: null, maxE2eMs: null, maxModelLenAuto: false },
};

export interface DecodeContext {
  /** Catalog GPU ids; any other id in a link is dropped with a notice. */
  knownGpuIds: readonly string[];
}

export interface DecodedInputs {
  inputs: Inputs;
  /** One sentence per rejected or ignored value, for a visible notice. */
  notices: string[];
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

interface FieldCodec {
  key: string;
  label: string;
  /** The encoded value, or undefined when it equals the default (omitted from the link). */
  encode(inputs: Inputs): string | undefined;
  /** Writes the decoded value into `draft`; returns an error sentence when the text is rejected. */
  decode(text: string, draft: Mutable<Inputs>, ctx: DecodeContext, note: (notice: string) => void): Parsed<void>;
}

const ID_LIST_SEPARATOR = ',';
const PRICE_SEPARATOR = ':';
const DESCENDING_PREFIX = '-';
const TRUE_FLAG = '1';
/** selectors.ts candidateKey: "gpuId|gpuCount|tp|pp|dp|ep"; rows are looked up once results arrive. */
const CONFIG_KEY = /^[A-Za-z0-9._:+-]{1,64}\|\d{1,4}\|\d{1,2}\|\d{1,2}\|\d{1,4}\|(ep)?$/;
/** Most compared curves a link carries (a chart with more is unreadable; it also bounds a tampered link's work). */
export const MAX_COMPARED_CONFIGS = 12;
const FALSE_FLAG = '0';
/** engine/disagg/disaggRows.ts disaggPairKey: "prefillGpuId>decodeGpuId". */
const DISAGG_PAIR_KEY = /^[A-Za-z0-9._:+-]{1,64}>[A-Za-z0-9._:+-]{1,64}$/;

/**
 * [disagg] A P/D pool's GPU types (`pg`, `dg`): known ids, at most MAX_PAGE_DISAGG_GPUS_PER_ROLE.
 * Unknown ids are dropped with a notice (like `g`); a list over the cap, or with nothing known left,
 * is refused whole (the default: the GPU filter's set) — guessing which four were meant would be silent.
 */
function disaggGpuCodec(key: string, label: string, field: 'prefillGpuIds' | 'decodeGpuIds'): FieldCodec {
  return {
    key,
    label,
    encode: (i) => {
      const ids = i[field];
      return ids === null ? undefined : encodeIds(ids);
    },
    decode: (text, draft, ctx, note) => {
      const listed = text === '' ? [] : text.split(ID_LIST_SEPARATOR);
      if (listed.length > MAX_PAGE_DISAGG_GPUS_PER_ROLE) return err(`it lists ${listed.length} GPU types; a P/D pool pairs at most ${MAX_PAGE_DISAGG_GPUS_PER_ROLE}.`);
      const ids = decodeIds(text, ctx, label, note);
      if (ids.length === 0) return err('it names no known GPU type.');
      draft[field] = ids;
      return ok(undefined);
    },
  };
}

function unlessDefault(value: string, defaultValue: string): string | undefined {
  return value === defaultValue ? undefined : value;
}

function sloText(ms: number | null): string {
  return ms === null ? '' : String(ms);
}

function encodeIds(ids: readonly string[]): string {
  return ids.join(ID_LIST_SEPARATOR);
}

/** Known ids are kept (a renamed catalog id must not cost the user the rest of the list). */
function decodeIds(text: string, ctx: DecodeContext, label: string, note: (notice: string) => void): string[] {
  const ids = text === '' ? [] : text.split(ID_LIST_SEPARATOR);
  const unknown = ids.filter((id) => !ctx.knownGpuIds.includes(id));
  if (unknown.length > 0) {
    // Custom GPUs live in the browser that made the link; the link carries only their ids.
    const customHint = unknown.some((id) => id.startsWith(CUSTOM_GPU_ID_PREFIX)) ? ' Custom GPUs are kept per browser: import their JSON (Custom GPUs panel) to use them here.' : '';
    note(`The link's ${label} named unknown GPU id(s) ${unknown.map((id) => `'${id.slice(0, 40)}'`).join(', ')}; they were ignored.${customHint}`);
  }
  return [...new Set(ids.filter((id) => ctx.knownGpuIds.includes(id)))];
}

function encodePrices(prices: Readonly<Record<string, number>>): string {
  return Object.keys(prices)
    .sort()
    .map((id) => `${id}${PRICE_SEPARATOR}${String(prices[id])}`)
    .join(ID_LIST_SEPARATOR);
}

/** Valid entries are kept; each rejected entry is named in a notice. */
function decodePrices(text: string, ctx: DecodeContext, note: (notice: string) => void): Record<string, number> {
  const prices: Record<string, number> = {};
  for (const entry of text === '' ? [] : text.split(ID_LIST_SEPARATOR)) {
    const at = entry.lastIndexOf(PRICE_SEPARATOR);
    const id = at < 0 ? entry : entry.slice(0, at);
    const price = parsePriceUsdPerHour(at < 0 ? '' : entry.slice(at + 1));
    if (!ctx.knownGpuIds.includes(id)) note(`The link's price override '${entry.slice(0, 40)}' names no known GPU; it was ignored.`);
    else if (!price.ok) note(`The link's price override for ${id} was ignored: ${price.error}`);
    else prices[id] = price.value;
  }
  return prices;
}

function flagCodec(key: string, label: string, pick: (i: Inputs) => boolean, put: (d: Mutable<Inputs>, v: boolean) => void): FieldCodec {
  return {
    key,
    label,
    encode: (i) => (pick(i) === pick(DEFAULT_INPUTS) ? undefined : pick(i) ? TRUE_FLAG : FALSE_FLAG),
    decode: (text, draft) => {
      if (text !== TRUE_FLAG && text !== FALSE_FLAG) return err(`expected ${TRUE_FLAG} or ${FALSE_FLAG}`);
      put(draft, text === TRUE_FLAG);
      return ok(undefined);
    },
  };
}

/** Builds a codec for a field whose text form is `String(value)` and whose parser checks the range. */
function simpleCodec<K extends keyof Inputs>(key: string, label: string, field: K, parse: (text: string) => Parsed<Inputs[K]>, show: (v: Inputs[K]) => string = String): FieldCodec {
  return {
    key,
    label,
    encode: (i) => unlessDefault(show(i[field]), show(DEFAULT_INPUTS[field])),
    decode: (text, draft) => {
      const parsed = parse(text);
      if (!parsed.ok) return parsed;
      draft[field] = parsed.value;
      return ok(undefined);
    },
  };
}

/**
 * One engine flag inside a nested options object (inputs.sglang, inputs.trtllm): omitted when null
 * (the engine's default); `put` writes a new object, so the defaults are never shared.
 */
function engineFlagCodec(
  key: string,
  label: string,
  pick: (i: Inputs) => number | null,
  put: (d: Mutable<Inputs>, v: number | null) => void,
  parse: (text: string) => Parsed<number | null>,
): FieldCodec {
  return {
    key,
    label,
    encode: (i) => {
      const value = pick(i);
      return value === null ? undefined : String(value);
    },
    decode: (text, draft) => {
      const parsed = parse(text);
      if (!parsed.ok) return parsed;
      put(draft, parsed.value);
      return ok(undefined);
    },
  };
}

/** Key table: changing a key or a value's text form is a format change (bump URL_FORMAT_VERSION). */
const FIELD_CODECS: readonly FieldCodec[] = [
  simpleCodec('m', 'model', 'modelId', parseModelId),
  simpleCodec('i', 'input tokens', 'inputTokens', parseTokens),
  simpleCodec('o', 'output tokens', 'outputTokens', parseTokens),
  simpleCodec('c', 'concurrency', 'concurrency', parseConcurrency),
  // Issue 10's load settings: new keys, omitted at their defaults, so every earlier link decodes as before (concurrency).
  simpleCodec('ld', 'load kind', 'loadKind', (t) => parseMember(t, LOAD_KINDS)),
  simpleCodec('r', 'request rate', 'ratePerS', parseRatePerS),
  simpleCodec('b', 'burstiness', 'burstiness', parseBurstiness),
  simpleCodec('sp', 'SLO percentile', 'sloPercentile', parseSloPercentile),
  // Issue 12's prefix cache and speculative decoding: new keys, omitted at their defaults (off), so earlier links decode as before.
  simpleCodec('ps', 'shared prefix tokens', 'prefixSharedTokens', parsePrefixTokens),
  simpleCodec('ph', 'prefix hit rate', 'prefixHitRate', parsePrefixHitRate),
  simpleCodec('sm', 'speculative method', 'specMethod', (t) => parseMember(t, PAGE_SPEC_METHODS)),
  simpleCodec('sk', 'speculative tokens', 'specTokens', parseSpecTokens),
  simpleCodec('sa', 'speculative acceptance', 'specAcceptance', parseSpecAcceptance, (v) => (v === null ? '' : String(v))),
  // SGLang's token tree (--speculative-eagle-topk, --speculative-num-draft-tokens): omitted at a chain's defaults.
  simpleCodec('st', 'speculative top-k', 'specTopk', parseSpecTopk),
  simpleCodec('sd', 'speculative verified tokens', 'specDraftTokens', parseSpecDraftTokens),
  {
    key: 'l',
    label: 'max model length',
    // Present only when the user set it; absent = it follows the request size.
    encode: (i) => (i.maxModelLenAuto ? undefined : String(i.maxModelLenTokens)),
    decode: (text, draft) => {
      const parsed = parseTokens(text);
      if (!parsed.ok) return parsed;
      draft.maxModelLenTokens = parsed.value;
      draft.maxModelLenAuto = false;
      return ok(undefined);
    },
  },
  simpleCodec('w', 'weight precision', 'weightPrecision', (t) => parseMember(t, WEIGHT_PRECISIONS)),
  simpleCodec('k', 'KV-cache dtype', 'kvCacheDtype', (t) => parseMember(t, KV_CACHE_DTYPES)),
  simpleCodec('u', 'GPU memory utilization', 'gpuMemoryUtilization', parseGpuMemoryUtilization),
  simpleCodec('ar', 'custom all-reduce off', 'disableCustomAllReduce', parseFlag, (v) => (v ? '1' : '0')),
  simpleCodec('tt', 'TTFT limit', 'maxTtftMs', parseSloMs, sloText),
  simpleCodec('ti', 'ITL limit', 'maxItlMs', parseSloMs, sloText),
  simpleCodec('te', 'E2E limit', 'maxE2eMs', parseSloMs, sloText),
  simpleCodec('n', 'max GPUs', 'maxGpus', parseMaxGpus),
  simpleCodec('e', 'serving engine', 'engine', (t) => parseMember(t, SERVING_ENGINES)),
  // Issue 13's engine options: new keys, omitted at their defaults, so every earlier link decodes as before.
  simpleCodec('vv', 'vLLM version', 'vllmVersion', (t) => parseMember(t, VLLM_VERSIONS)),
  // Omitted at null (the release's default); '1' / '0' = --async-scheduling / --no-async-scheduling.
  simpleCodec('as', 'async scheduling', 'asyncScheduling', parseFlag, (v) => (v === null ? '' : v ? '1' : '0')),
  simpleCodec('om', 'memory used by other processes', 'otherMemoryGiB', parseOtherMemoryGiB),
  engineFlagCodec('smf', 'SGLang --mem-fraction-static', (i) => i.sglang.memFractionStatic, (d, v) => (d.sglang = { ...d.sglang, memFractionStatic: v }), parseOptionalFraction),
  engineFlagCodec('scp', 'SGLang --chunked-prefill-size', (i) => i.sglang.chunkedPrefillSizeTokens, (d, v) => (d.sglang = { ...d.sglang, chunkedPrefillSizeTokens: v }), parseOptionalCount),
  engineFlagCodec('smr', 'SGLang --max-running-requests', (i) => i.sglang.maxRunningRequests, (d, v) => (d.sglang = { ...d.sglang, maxRunningRequests: v }), parseOptionalCount),
  engineFlagCodec('scg', 'SGLang --cuda-graph-max-bs', (i) => i.sglang.cudaGraphMaxBs, (d, v) => (d.sglang = { ...d.sglang, cudaGraphMaxBs: v }), parseOptionalCount),
  engineFlagCodec(
    'tkf',
    'TensorRT-LLM --kv_cache_free_gpu_memory_fraction',
    (i) => i.trtllm.kvCacheFreeGpuMemoryFraction,
    (d, v) => (d.trtllm = { ...d.trtllm, kvCacheFreeGpuMemoryFraction: v }),
    parseOptionalFraction,
  ),
  engineFlagCodec('tmb', 'TensorRT-LLM --max_batch_size', (i) => i.trtllm.maxBatchSize, (d, v) => (d.trtllm = { ...d.trtllm, maxBatchSize: v }), parseOptionalCount),
  engineFlagCodec('tmt', 'TensorRT-LLM --max_num_tokens', (i) => i.trtllm.maxNumTokens, (d, v) => (d.trtllm = { ...d.trtllm, maxNumTokens: v }), parseOptionalCount),
  {
    key: 'g',
    label: 'GPU types',
    encode: (i) => (i.gpuIds === null ? undefined : encodeIds(i.gpuIds)),
    decode: (text, draft, ctx, note) => {
      const ids = decodeIds(text, ctx, 'GPU types', note);
      // The bug this guards: a link naming only unknown GPUs left an empty list, so no GPU was
      // considered and the table was empty. Nothing usable means the default: every GPU type.
      if (ids.length === 0 && text !== '') note('No known GPU type was left in the link; considering all GPU types.');
      draft.gpuIds = ids.length === 0 && text !== '' ? null : ids;
      return ok(undefined);
    },
  },
  {
    key: 'p',
    label: 'price overrides',
    encode: (i) => unlessDefault(encodePrices(i.priceOverridesUsdPerHour), ''),
    decode: (text, draft, ctx, note) => {
      draft.priceOverridesUsdPerHour = decodePrices(text, ctx, note);
      return ok(undefined);
    },
  },
  {
    key: 's',
    label: 'table sort',
    encode: (i) => {
      const text = `${i.sort.descending ? DESCENDING_PREFIX : ''}${i.sort.column}`;
      const defaultText = `${DEFAULT_INPUTS.sort.descending ? DESCENDING_PREFIX : ''}${DEFAULT_INPUTS.sort.column}`;
      return unlessDefault(text, defaultText);
    },
    decode: (text, draft) => {
      const descending = text.startsWith(DESCENDING_PREFIX);
      const column = parseMember(descending ? text.slice(DESCENDING_PREFIX.length) : text, RESULT_COLUMNS);
      if (!column.ok) return column;
      draft.sort = { column: column.value, descending };
      return ok(undefined);
    },
  },
  {
    key: 'row',
    label: 'selected row',
    encode: (i) => (i.selectedConfig === null ? undefined : i.selectedConfig),
    decode: (text, draft) => {
      if (!CONFIG_KEY.test(text)) return err('expected a configuration key.');
      draft.selectedConfig = text;
      return ok(undefined);
    },
  },
  {
    // Issue 14: the compared curves (rows ticked "Compare"). A new key, absent when none: older links decode as before.
    key: 'cmp',
    label: 'compared rows',
    encode: (i) => (i.compareConfigs.length === 0 ? undefined : encodeIds(i.compareConfigs)),
    decode: (text, draft, _ctx, note) => {
      const keys = text === '' ? [] : text.split(ID_LIST_SEPARATOR);
      const valid = [...new Set(keys.filter((k) => CONFIG_KEY.test(k)))];
      const rejected = keys.filter((k) => !CONFIG_KEY.test(k));
      if (rejected.length > 0) note(`The link's compared rows ${rejected.map((k) => `'${k.slice(0, 40)}'`).join(', ')} are not configuration keys; they were ignored.`);
      if (valid.length > MAX_COMPARED_CONFIGS) note(`The link compares ${valid.length} rows; the first ${MAX_COMPARED_CONFIGS} were kept.`);
      draft.compareConfigs = valid.slice(0, MAX_COMPARED_CONFIGS);
      return ok(undefined);
    },
  },
  // Issue 12's serving shape (P/D): new keys, omitted at their defaults (aggregated), so earlier links decode as before.
  simpleCodec('sh', 'serving shape', 'servingShape', (t) => parseMember(t, SERVING_SHAPES)),
  disaggGpuCodec('pg', 'prefill GPU types', 'prefillGpuIds'),
  disaggGpuCodec('dg', 'decode GPU types', 'decodeGpuIds'),
  simpleCodec('prt', 'P/D routing', 'disaggRouting', (t) => parseMember(t, DISAGG_ROUTINGS)),
  // Issue 12's router for aggregated replicas at a rate: a new key, omitted at its default (random, the even split), so earlier links decode as before.
  simpleCodec('art', 'replica routing', 'replicaRouting', (t) => parseMember(t, REPLICA_ROUTINGS)),
  {
    key: 'pdr',
    label: 'selected P/D row',
    encode: (i) => (i.selectedDisaggPair === null ? undefined : i.selectedDisaggPair),
    decode: (text, draft) => {
      if (!DISAGG_PAIR_KEY.test(text)) return err('expected a prefill>decode GPU pair.');
      draft.selectedDisaggPair = text;
      return ok(undefined);
    },
  },
  flagCodec('ff', 'fits-only filter', (i) => i.filters.fitsOnly, (d, v) => (d.filters = { ...d.filters, fitsOnly: v })),
  flagCodec('fs', 'meets-SLO filter', (i) => i.filters.meetsSloOnly, (d, v) => (d.filters = { ...d.filters, meetsSloOnly: v })),
  {
    // Links made before issue 14 had a second, table-only GPU filter. There is one GPU selection now
    // (`g`, what is computed), so an old filter narrows it; never written. Decoded after `g`.
    key: 'fg',
    label: 'GPU filter',
    encode: () => undefined,
    decode: (text, draft, ctx, note) => {
      const ids = decodeIds(text, ctx, 'GPU filter', note);
      const narrowed = (draft.gpuIds ?? ctx.knownGpuIds).filter((id) => ids.includes(id));
      // Nothing left (or an empty filter, which meant "all") keeps the selection as it was.
      if (narrowed.length > 0) draft.gpuIds = narrowed;
      return ok(undefined);
    },
  },
];

/**
 * Escapes only what would break the `k=v&k=v` split or the fragment (`%`, `&`, `=`, `#`, `+`,
 * spaces, non-ASCII, control characters); keeps `/ , : -` readable.
 */
function escapeValue(value: string): string {
  return encodeURIComponent(value).replace(/%2F/g, '/').replace(/%2C/g, ',').replace(/%3A/g, ':');
}

/** The fragment text without '#', e.g. `v=1&m=org/name&i=2048`. Default values are omitted. */
export function encodeInputs(inputs: Inputs): string {
  const parts = [`${VERSION_KEY}=${URL_FORMAT_VERSION}`];
  for (const codec of FIELD_CODECS) {
    const value = codec.encode(inputs);
    if (value !== undefined) parts.push(`${codec.key}=${escapeValue(value)}`);
  }
  return parts.join('&');
}

function splitPairs(text: string): { pairs: Map<string, string>; notices: string[] } {
  const pairs = new Map<string, string>();
  const notices: string[] = [];
  for (const part of text.replace(/^#/, '').split('&')) {
    if (part === '') continue;
    const at = part.indexOf('=');
    const rawKey = at < 0 ? part : part.slice(0, at);
    const rawValue = at < 0 ? '' : part.slice(at + 1);
    try {
      pairs.set(decodeURIComponent(rawKey), decodeURIComponent(rawValue));
    } catch {
      // Malformed percent-encoding (a truncated link): skip this pair only.
      notices.push(`Ignored an unreadable part of the link ('${part.slice(0, 40)}').`);
    }
  }
  return { pairs, notices };
}

function cloneDefaults(): Mutable<Inputs> {
  return {
    ...DEFAULT_INPUTS,
    sort: { ...DEFAULT_INPUTS.sort },
    filters: { ...DEFAULT_INPUTS.filters },
    sglang: { ...DEFAULT_INPUTS.sglang },
    trtllm: { ...DEFAULT_INPUTS.trtllm },
    priceOverridesUsdPerHour: { ...DEFAULT_INPUTS.priceOverridesUsdPerHour },
  };
}

/** Reads a fragment (with or without '#'). Never throws: anything unreadable falls back to the default. */
export function decodeInputs(fragment: unknown, ctx: DecodeContext): DecodedInputs {
  const draft = cloneDefaults();
  if (typeof fragment !== 'string') return { inputs: draft, notices: ['The link could not be read; using the defaults.'] };
  const { pairs, notices } = splitPairs(fragment);
  if (pairs.size === 0) return { inputs: draft, notices };
  const version = pairs.get(VERSION_KEY);
  const older = OLDER_DEFAULTS[version ?? '1'];
  if (version === undefined) notices.push('The link has no format version; its settings were read as version 1.');
  else if (version !== URL_FORMAT_VERSION && older === undefined) {
    notices.push(`The link uses format version '${version.slice(0, 20)}', which this page does not know; settings were read as version ${URL_FORMAT_VERSION} where valid.`);
  }
  if (older !== undefined) Object.assign(draft, older);
  for (const codec of FIELD_CODECS) {
    const text = pairs.get(codec.key);
    if (text === undefined) continue;
    const outcome = codec.decode(text, draft, ctx, (notice) => notices.push(notice));
    if (!outcome.ok) notices.push(`The link's ${codec.label} ('${text.slice(0, 40)}') was ignored: ${outcome.error} Using the default.`);
  }
  return { inputs: draft, notices };
}
