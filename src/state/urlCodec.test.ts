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
  prefixSharedTokens: 512,
  prefixHitRate: 0.6,
  specMethod: 'eagle3',
  specTokens: 4,
  specAcceptance: 0.7,
  specTopk: 4,
  specDraftTokens: 16,
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
  vllmVersion: '0.16',
  asyncScheduling: true,
  sglang: { memFractionStatic: 0.8, chunkedPrefillSizeTokens: 4096, maxRunningRequests: 128, cudaGraphMaxBs: 64 },
  trtllm: { kvCacheFreeGpuMemoryFraction: 0.85, maxBatchSize: 256, maxNumTokens: 8192 },
  otherMemoryGiB: 2.5,
  servingShape: 'pd',
  disaggRouting: 'least-loaded',
  replicaRouting: 'least-loaded',
  prefillGpuIds: ['h100-sxm'],
  decodeGpuIds: ['a100-sxm-80gb', 'mi300x'],
  selectedDisaggPair: 'h100-sxm>mi300x',
  sort: { column: 'ttft', descending: true },
  filters: { fitsOnly: true, meetsSloOnly: true },
  selectedConfig: 'H100|2|2|1|1|',
  compareConfigs: ['H100|2|2|1|1|', 'mi300x|8|1|1|8|ep'],
};

describe('urlCodec', () => {
  it('encodeInputs of the defaults is only the version', () => {
    expect(encodeInputs(DEFAULT_INPUTS)).toBe('v=2');
  });

  it('carries the prefix cache and speculative decoding in short keys; links before them decode to off', () => {
    const link = encodeInputs({ ...DEFAULT_INPUTS, prefixSharedTokens: 1000, prefixHitRate: 0.5, specMethod: 'mtp', specTokens: 2, specAcceptance: 0.9 });
    expect(link).toBe('v=2&ps=1000&ph=0.5&sm=mtp&sk=2&sa=0.9');
    expect(decodeInputs(`#${link}`, ctx)).toEqual({ inputs: { ...DEFAULT_INPUTS, prefixSharedTokens: 1000, prefixHitRate: 0.5, specMethod: 'mtp', specTokens: 2, specAcceptance: 0.9 }, notices: [] });
    // The published default acceptance is no key at all.
    expect(encodeInputs({ ...DEFAULT_INPUTS, specMethod: 'eagle' })).toBe('v=2&sm=eagle');
    const old = decodeInputs('#v=2&i=2048&r=5&ld=rate', ctx);
    expect(old.notices).toEqual([]);
    expect(old.inputs).toMatchObject({ prefixSharedTokens: 0, prefixHitRate: 0, specMethod: 'none', specTokens: 3, specAcceptance: null, specTopk: 1, specDraftTokens: 8 });
  });

  it('carries SGLang\'s token tree (top-k, verified tokens) in st / sd, omitted at a chain\'s defaults', () => {
    const tree = { ...DEFAULT_INPUTS, engine: 'sglang' as const, specMethod: 'eagle' as const, specTokens: 5, specTopk: 4, specDraftTokens: 16 };
    const link = encodeInputs(tree);
    expect(link).toContain('&st=4&sd=16');
    expect(decodeInputs(`#${link}`, ctx)).toEqual({ inputs: tree, notices: [] });
    expect(encodeInputs({ ...DEFAULT_INPUTS, specMethod: 'eagle' })).not.toMatch(/st=|sd=/);
  });

  it('carries the P/D serving shape, its pools’ GPU types and the selected P/D row; links before them decode to aggregated', () => {
    const inputs: Inputs = { ...DEFAULT_INPUTS, servingShape: 'pd', prefillGpuIds: ['h100-sxm'], decodeGpuIds: ['h100-sxm', 'mi300x'], disaggRouting: 'least-loaded', selectedDisaggPair: 'h100-sxm>mi300x' };
    const link = encodeInputs(inputs);
    expect(link).toBe('v=2&sh=pd&pg=h100-sxm&dg=h100-sxm,mi300x&prt=least-loaded&pdr=h100-sxm%3Emi300x');
    expect(decodeInputs(`#${link}`, ctx)).toEqual({ inputs, notices: [] });
    expect(decodeInputs('#v=2&i=2048', ctx).inputs).toMatchObject({ servingShape: 'aggregated', prefillGpuIds: null, decodeGpuIds: null, selectedDisaggPair: null, disaggRouting: 'round-robin' });
  });

  it.each([
    ['sh=split', 'serving shape', { servingShape: 'aggregated' }],
    ['pg=h100-sxm,a100-sxm-80gb,mi300x,h100-sxm,mi300x', 'prefill GPU types', { prefillGpuIds: null }],
    ['dg=nope', 'decode GPU types', { decodeGpuIds: null }],
    ['prt=random', 'P/D routing', { disaggRouting: 'round-robin' }],
    ['pdr=h100-sxm', 'selected P/D row', { selectedDisaggPair: null }],
    ['pdr=a>b<script>', 'selected P/D row', { selectedDisaggPair: null }],
  ])('a tampered P/D value (%s) is refused with a notice naming the %s, the default kept', (pair, label, expected) => {
    const decoded = decodeInputs(`#v=2&sh=pd&${pair}`, ctx);
    expect(decoded.inputs).toMatchObject(expected);
    expect(decoded.notices.some((n) => n.includes(label))).toBe(true);
  });

  it('carries the aggregated replicas\' routing at a rate as art (omitted at random, the default); a tampered value is refused with a notice, random kept', () => {
    const inputs: Inputs = { ...DEFAULT_INPUTS, loadKind: 'rate', replicaRouting: 'least-loaded' };
    const link = encodeInputs(inputs);
    expect(link).toContain('art=least-loaded');
    expect(decodeInputs(`#${link}`, ctx)).toEqual({ inputs, notices: [] });
    expect(encodeInputs({ ...DEFAULT_INPUTS, loadKind: 'rate' })).not.toContain('art=');
    expect(decodeInputs('#v=2&ld=rate', ctx).inputs.replicaRouting).toBe('random');
    const tampered = decodeInputs('#v=2&ld=rate&art=shortest', ctx);
    expect(tampered.inputs.replicaRouting).toBe('random');
    expect(tampered.notices.some((n) => n.includes('replica routing'))).toBe(true);
  });

  it('an unknown GPU id in a P/D pool is dropped with a notice, the known ones kept', () => {
    const decoded = decodeInputs('#v=2&sh=pd&pg=h100-sxm,b999', ctx);
    expect(decoded.inputs.prefillGpuIds).toEqual(['h100-sxm']);
    expect(decoded.notices.join(' ')).toContain("'b999'");
  });

  it.each([
    ['ph=1.5', 'prefix hit rate', { prefixHitRate: 0 }],
    ['ps=-3', 'shared prefix tokens', { prefixSharedTokens: 0 }],
    ['ps=12.5', 'shared prefix tokens', { prefixSharedTokens: 0 }],
    ['sm=draft', 'speculative method', { specMethod: 'none' }],
    ['sm=medusa', 'speculative method', { specMethod: 'none' }],
    ['sk=0', 'speculative tokens', { specTokens: 3 }],
    ['sk=99', 'speculative tokens', { specTokens: 3 }],
    ['sa=2', 'speculative acceptance', { specAcceptance: null }],
    ['sa=NaN', 'speculative acceptance', { specAcceptance: null }],
    ['st=0', 'speculative top-k', { specTopk: 1 }],
    ['st=99', 'speculative top-k', { specTopk: 1 }],
    ['sd=1', 'speculative verified tokens', { specDraftTokens: 8 }],
  ])('a tampered %s is rejected with a notice naming the %s, the rest kept', (pair, label, expected) => {
    const decoded = decodeInputs(`#v=2&i=4096&${pair}`, ctx);
    expect(decoded.inputs).toMatchObject({ inputTokens: 4096, ...expected });
    expect(decoded.notices).toHaveLength(1);
    expect(decoded.notices[0]).toContain(`The link's ${label}`);
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
  it('engine options: short keys, omitted at their defaults, restored by a link (issue 13)', () => {
    const inputs: Inputs = { ...DEFAULT_INPUTS, engine: 'sglang', sglang: { ...DEFAULT_INPUTS.sglang, memFractionStatic: 0.7 }, otherMemoryGiB: 4 };
    const text = encodeInputs(inputs);
    expect(text).toBe('v=2&e=sglang&om=4&smf=0.7');
    expect(decodeInputs(text, ctx)).toEqual({ inputs, notices: [] });
    const vllm016 = encodeInputs({ ...DEFAULT_INPUTS, vllmVersion: '0.16' });
    expect(vllm016).toBe('v=2&vv=0.16');
    // The current release is '0.21+': its '+' is escaped and read back.
    expect(decodeInputs('v=2&vv=0.21%2B', ctx).inputs.vllmVersion).toBe('0.21+');
  });

  it('tampered engine options are rejected with a notice and keep their defaults', () => {
    const { inputs, notices } = decodeInputs('v=2&e=trtllm&tkf=1.5&tmb=-3&vv=0.99&om=5000&smf=abc', ctx);
    expect(inputs.engine).toBe('trtllm');
    expect(inputs.trtllm).toEqual(DEFAULT_INPUTS.trtllm);
    expect(inputs.sglang).toEqual(DEFAULT_INPUTS.sglang);
    expect(inputs.vllmVersion).toBe(DEFAULT_INPUTS.vllmVersion);
    expect(inputs.otherMemoryGiB).toBe(0);
    expect(notices).toHaveLength(5);
    expect(notices.join(' ')).toMatch(/TensorRT-LLM --kv_cache_free_gpu_memory_fraction \('1\.5'\) was ignored/);
    expect(notices.join(' ')).toMatch(/vLLM version \('0\.99'\) was ignored/);
  });

  it("vLLM's async scheduling: key 'as' omitted at the release's default, 1 / 0 restored, a tampered value refused with a notice", () => {
    expect(encodeInputs(DEFAULT_INPUTS)).not.toMatch(/(^|&)as=/);
    const off: Inputs = { ...DEFAULT_INPUTS, asyncScheduling: false };
    expect(encodeInputs(off)).toBe('v=2&as=0');
    expect(decodeInputs('v=2&as=0', ctx)).toEqual({ inputs: off, notices: [] });
    expect(decodeInputs('v=2&vv=0.11&as=1', ctx).inputs.asyncScheduling).toBe(true);
    const tampered = decodeInputs('v=2&as=yes', ctx);
    expect(tampered.inputs.asyncScheduling).toBeNull();
    expect(tampered.notices).toHaveLength(1);
    expect(tampered.notices[0]).toMatch(/async scheduling \('yes'\) was ignored/);
  });

  it('a link made before the engine options decodes to their defaults (old links keep working)', () => {
    const { inputs, notices } = decodeInputs('v=2&e=sglang&u=0.85', ctx);
    expect(notices).toEqual([]);
    expect(inputs.sglang).toEqual(DEFAULT_INPUTS.sglang);
    expect(inputs.vllmVersion).toBe(DEFAULT_INPUTS.vllmVersion);
    expect(inputs.asyncScheduling).toBeNull();
    expect(inputs.otherMemoryGiB).toBe(0);
  });
  it('a GPU budget above the page cap (64) in a link is refused with a notice (the CLI plans more)', () => {
    const { inputs, notices } = decodeInputs('v=2&n=128', ctx);
    expect(inputs.maxGpus).toBe(DEFAULT_INPUTS.maxGpus);
    expect(notices).toEqual(["The link's max GPUs ('128') was ignored: Enter a whole number from 1 to 64. Using the default."]);
    expect(decodeInputs('v=2&n=64', ctx).inputs.maxGpus).toBe(64);
  });
});
