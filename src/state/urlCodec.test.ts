import { describe, expect, it } from 'vitest';
import { DEFAULT_INPUTS, type Inputs } from './inputs';
import { decodeInputs, encodeInputs } from './urlCodec';

const ctx = { knownGpuIds: ['h100-sxm', 'a100-sxm-80gb', 'mi300x'] };

/** Every field away from its default, so the round trip exercises each key. */
const EVERY_FIELD: Inputs = {
  modelId: 'meta-llama/Llama-3.1-70B-Instruct',
  inputTokens: 2048,
  outputTokens: 128,
  concurrency: 64,
  loadKind: 'rate',
  ratePerS: 42.5,
  burstiness: 0.5,
  sloPercentile: 90,
  maxModelLenTokens: 32768,
  maxModelLenAuto: false,
  weightPrecision: 'fp8',
  kvCacheDtype: 'fp8',
  gpuMemoryUtilization: 0.95,
  disableCustomAllReduce: true,
  maxTtftMs: 500,
  maxItlMs: 25.5,
  maxE2eMs: 20000,
  maxGpus: 16,
  gpuIds: ['h100-sxm', 'mi300x'],
  priceOverridesUsdPerHour: { 'h100-sxm': 2.1, mi300x: 1.75 },
  engine: 'sglang',
  sort: { column: 'ttft', descending: true },
  filters: { fitsOnly: true, meetsSloOnly: true },
  selectedConfig: 'H100|2|2|1|1|',
  compareConfigs: ['H100|2|2|1|1|', 'mi300x|8|1|1|8|ep'],
};

describe('urlCodec', () => {
  it('encodeInputs of the defaults is only the version', () => {
    expect(encodeInputs(DEFAULT_INPUTS)).toBe('v=2');
  });

  it('a link made before the load settings decodes to a concurrency load, p99 limits, without notices', () => {
    const decoded = decodeInputs('#v=1&i=2048&c=64&tt=500', ctx);
    expect(decoded.notices).toEqual([]);
    expect(decoded.inputs).toMatchObject({ inputTokens: 2048, concurrency: 64, maxTtftMs: 500, loadKind: 'concurrency', ratePerS: DEFAULT_INPUTS.ratePerS, sloPercentile: 99 });
  });

  it('carries the load settings: rate, burstiness and SLO percentile; a bad one is a notice and the default', () => {
    const text = encodeInputs({ ...DEFAULT_INPUTS, loadKind: 'rate', ratePerS: 40, burstiness: 0.5, sloPercentile: 95 });
    expect(text).toBe('v=2&ld=rate&r=40&b=0.5&sp=95');
    const bad = decodeInputs('#v=1&ld=rate&r=-3&sp=80', ctx);
    expect(bad.inputs.loadKind).toBe('rate');
    expect(bad.inputs.ratePerS).toBe(DEFAULT_INPUTS.ratePerS);
    expect(bad.inputs.sloPercentile).toBe(99);
    expect(bad.notices).toHaveLength(2);
  });

  it('carries the compared rows under a short key; a tampered entry is dropped with a notice, the rest kept', () => {
    const text = encodeInputs({ ...DEFAULT_INPUTS, compareConfigs: ['H100|1|1|1|1|', 'L40S|2|2|1|1|'] });
    expect(text).toBe('v=2&cmp=H100%7C1%7C1%7C1%7C1%7C,L40S%7C2%7C2%7C1%7C1%7C');
    expect(decodeInputs(`#${text}`, ctx).inputs.compareConfigs).toEqual(['H100|1|1|1|1|', 'L40S|2|2|1|1|']);
    const tampered = decodeInputs('#v=2&cmp=H100%7C1%7C1%7C1%7C1%7C,<script>,H100%7C1%7C1%7C1%7C1%7C', ctx);
    expect(tampered.inputs.compareConfigs).toEqual(['H100|1|1|1|1|']);
    expect(tampered.notices).toHaveLength(1);
    expect(tampered.notices[0]).toMatch(/compared rows '<script>'/);
    // A link made before the key compares nothing.
    expect(decodeInputs('#v=2&i=2048', ctx).inputs.compareConfigs).toEqual([]);
  });

  it('an old link\'s table GPU filter (fg) narrows the one GPU selection; it is never written', () => {
    expect(decodeInputs('#v=2&fg=mi300x,h100-sxm', ctx)).toEqual({ inputs: { ...DEFAULT_INPUTS, gpuIds: ['h100-sxm', 'mi300x'] }, notices: [] });
    expect(decodeInputs('#v=2&g=h100-sxm,a100-sxm-80gb&fg=h100-sxm', ctx).inputs.gpuIds).toEqual(['h100-sxm']);
    // Nothing left after narrowing keeps the selection; an unknown id is a notice.
    const none = decodeInputs('#v=2&g=a100-sxm-80gb&fg=h100-sxm,zz', ctx);
    expect(none.inputs.gpuIds).toEqual(['a100-sxm-80gb']);
    expect(none.notices).toHaveLength(1);
    expect(encodeInputs(decodeInputs('#v=2&fg=mi300x', ctx).inputs)).toBe('v=2&g=mi300x');
  });

  it('round-trips every field', () => {
    const decoded = decodeInputs(`#${encodeInputs(EVERY_FIELD)}`, ctx);
    expect(decoded.notices).toEqual([]);
    expect(decoded.inputs).toEqual(EVERY_FIELD);
  });

  it('round-trips each field on its own (the others at their defaults)', () => {
    for (const key of Object.keys(EVERY_FIELD) as (keyof Inputs)[]) {
      // A set max_model_len is one field in the link: its value and "set" together.
      const inputs: Inputs = key === 'maxModelLenTokens' || key === 'maxModelLenAuto' ? { ...DEFAULT_INPUTS, maxModelLenTokens: EVERY_FIELD.maxModelLenTokens, maxModelLenAuto: false } : { ...DEFAULT_INPUTS, [key]: EVERY_FIELD[key] };
      const decoded = decodeInputs(encodeInputs(inputs), ctx);
      expect(decoded.inputs, key).toEqual(inputs);
      expect(decoded.notices, key).toEqual([]);
    }
  });

  it('round-trips the special concurrency values and an empty GPU selection', () => {
    for (const concurrency of ['max', 'sweep', 1] as const) {
      const inputs: Inputs = { ...DEFAULT_INPUTS, concurrency };
      expect(decodeInputs(encodeInputs(inputs), ctx).inputs).toEqual(inputs);
    }
  });

  it('keeps model ids readable and escapes what would break the fragment', () => {
    expect(encodeInputs({ ...DEFAULT_INPUTS, modelId: 'org/name' })).toBe('v=2&m=org/name');
    const odd = { ...DEFAULT_INPUTS, modelId: 'my model&x=1#frag%+é' };
    const text = encodeInputs(odd);
    expect(text).not.toMatch(/[ #]/);
    expect(decodeInputs(text, ctx).inputs.modelId).toBe(odd.modelId);
  });

  it('falls back to the default with a notice for each tampered value', () => {
    const decoded = decodeInputs('#v=2&i=-5&o=abc&c=lots&u=1.5&w=fp3&k=int2&n=0&tt=-1&s=nope&ff=yes&e=tgi&l=1e9', ctx);
    expect(decoded.inputs).toEqual(DEFAULT_INPUTS);
    expect(decoded.notices).toHaveLength(12);
    expect(decoded.notices.join('\n')).toMatch(/input tokens.*'-5'/);
  });

  it('keeps the valid part of a list and names the unknown GPU ids', () => {
    const decoded = decodeInputs('v=2&g=h100-sxm,b999&p=h100-sxm:2.5,zz:1,mi300x:-3', ctx);
    expect(decoded.inputs.gpuIds).toEqual(['h100-sxm']);
    expect(decoded.inputs.priceOverridesUsdPerHour).toEqual({ 'h100-sxm': 2.5 });
    expect(decoded.notices.join('\n')).toMatch(/b999/);
    expect(decoded.notices).toHaveLength(3);
  });

  it('ignores unknown keys and reads a link without a version as version 1, with a notice', () => {
    const decoded = decodeInputs('i=4096&zz=1&__proto__=x', ctx);
    // Version 1 had no latency limit by default: an omitted limit stays "no limit".
    expect(decoded.inputs).toEqual({ ...DEFAULT_INPUTS, inputTokens: 4096, maxTtftMs: null, maxItlMs: null, maxE2eMs: null, maxModelLenAuto: false });
    expect(decoded.notices).toHaveLength(1);
    expect(decoded.notices[0]).toMatch(/no format version/);
  });

  it('reads a version 1 link against version 1 defaults (no latency limit unless the link set one), without a notice', () => {
    const old = decodeInputs('v=1&i=3000&ti=25', ctx);
    expect(old.inputs).toEqual({ ...DEFAULT_INPUTS, inputTokens: 3000, maxTtftMs: null, maxItlMs: 25, maxE2eMs: null, maxModelLenAuto: false });
    expect(old.notices).toEqual([]);
    // A version 2 link with no limits says so explicitly, and round-trips.
    const none = { ...DEFAULT_INPUTS, maxTtftMs: null, maxItlMs: null };
    expect(decodeInputs(encodeInputs(none), ctx).inputs).toEqual(none);
  });

  it('survives truncated percent-encoding and non-string input', () => {
    const truncated = decodeInputs('v=2&m=org%2&i=512', ctx);
    expect(truncated.inputs).toEqual({ ...DEFAULT_INPUTS, inputTokens: 512 });
    expect(truncated.notices).toHaveLength(1);
    expect(decodeInputs(null, ctx).inputs).toEqual(DEFAULT_INPUTS);
    expect(decodeInputs('', ctx)).toEqual({ inputs: DEFAULT_INPUTS, notices: [] });
  });

  it('never carries a token: no field holds one', () => {
    // The Hub token is not an input; this guards against someone adding it to Inputs.
    expect(Object.keys(DEFAULT_INPUTS).some((k) => /token$/i.test(k) && !/tokens$/i.test(k))).toBe(false);
  });
});

describe('decodeInputs with only unknown GPU ids', () => {
  it('falls back to every GPU type instead of an empty selection (empty table bug)', () => {
    const { inputs, notices } = decodeInputs('v=2&g=NOPE', { knownGpuIds: ['H100', 'A100-80GB'] });
    expect(inputs.gpuIds).toBeNull();
    expect(notices.join(' ')).toMatch(/all GPU types/);
  });
});

describe('custom GPU ids in links', () => {
  it('round-trip (":" and spaces survive) when this browser knows the custom GPU', () => {
    const ctx = { knownGpuIds: ['H100', 'custom:Acme X1'] };
    const inputs = { ...DEFAULT_INPUTS, gpuIds: ['H100', 'custom:Acme X1'], priceOverridesUsdPerHour: { 'custom:Acme X1': 1.25 } };
    const decoded = decodeInputs(encodeInputs(inputs), ctx);
    expect(decoded.notices).toEqual([]);
    expect(decoded.inputs.gpuIds).toEqual(['H100', 'custom:Acme X1']);
    expect(decoded.inputs.priceOverridesUsdPerHour).toEqual({ 'custom:Acme X1': 1.25 });
  });

  it('are dropped with a hint to import them where the browser does not know them', () => {
    const link = encodeInputs({ ...DEFAULT_INPUTS, gpuIds: ['H100', 'custom:Acme X1'] });
    const { inputs, notices } = decodeInputs(link, { knownGpuIds: ['H100'] });
    expect(inputs.gpuIds).toEqual(['H100']);
    expect(notices.join(' ')).toMatch(/'custom:Acme X1'.*import their JSON/);
  });
});
