import { describe, expect, it } from 'vitest';
import { GB, GiB } from '../engine/units';
import {
  customGpuToJson,
  customGpusToJsonText,
  EMPTY_CUSTOM_GPU_DRAFT,
  MAX_CUSTOM_GPUS,
  parseCustomGpu,
  parseCustomGpuDraft,
  parseCustomGpuList,
  parseCustomGpuText,
  withCustomGpus,
} from './customGpus';
import { readSavedWork, SAVED_WORK_KEY, writeSavedWork } from './savedWork';
import { memoryStorage } from './memoryStorage';

const VALID = {
  name: 'Acme X1',
  memoryGiB: 94,
  memBandwidthGBPerS: 4000,
  bf16Tflops: 800,
  fp8Tflops: 1600,
  interconnect: 'nvlink',
  interconnectGBPerS: 450,
  gpusPerNode: 8,
  tdpWatts: 700,
  priceUsdPerHour: 2.5,
};

function valid(raw: unknown) {
  const r = parseCustomGpu(raw);
  if (!r.ok) throw new Error(`fixture rejected: ${JSON.stringify(r.error)}`);
  return r.value;
}

describe('parseCustomGpu', () => {
  it('converts the form units into a GpuSpec (GiB as the runtime reports it, GB/s as datasheets print it)', () => {
    const gpu = valid(VALID);
    expect(gpu.id).toBe('custom:Acme X1');
    expect(gpu.memoryBytes).toBe(94 * GiB);
    expect(gpu.memBandwidthBytesPerS).toBe(4000 * GB);
    expect(gpu.interconnect).toEqual({ kind: 'nvlink', bytesPerS: 450 * GB, gpusPerNode: 8 });
    expect(gpu.denseTflops).toEqual({ bf16: 800, fp16: 800, fp8: 1600 });
    expect(gpu.generation).toBe('hopper');
    expect(gpu.vendor).toBe('nvidia');
    expect(gpu.source.url).toBe('user-provided');
  });

  it('restores optional fields with their stated defaults: no FP8, efficiency like Hopper (CDNA3 on xGMI)', () => {
    const { fp8Tflops: _omitted, ...noFp8 } = VALID;
    expect(valid(noFp8).denseTflops.fp8).toBeUndefined();
    const amd = valid({ ...VALID, interconnect: 'xgmi' });
    expect([amd.generation, amd.vendor]).toEqual(['cdna3', 'amd']);
    expect(valid({ ...VALID, efficiencyLike: 'ampere' }).generation).toBe('ampere');
  });

  it.each([
    ['name', ''],
    ['name', 'a,b'],
    ['name', '<img src=x onerror=alert(1)>'],
    ['name', 'H100'],
    ['name', 'x'.repeat(61)],
    ['memoryGiB', -5],
    ['memoryGiB', 'lots'],
    ['memoryGiB', 80e9],
    ['memBandwidthGBPerS', 3.35],
    ['bf16Tflops', Number.NaN],
    ['fp8Tflops', 0],
    ['interconnect', 'carrier pigeon'],
    ['interconnectGBPerS', Number.POSITIVE_INFINITY],
    ['gpusPerNode', 2.5],
    ['tdpWatts', null],
    ['priceUsdPerHour', 0],
    ['efficiencyLike', 'pascal'],
  ])('rejects %s = %j and names that field', (field, value) => {
    const r = parseCustomGpu({ ...VALID, [field]: value });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.map((e) => e.field)).toEqual([field]);
  });

  it('names every bad field at once, and every missing required one', () => {
    const r = parseCustomGpu({ name: 'Acme', memoryGiB: 'x', tdpWatts: -1 });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.map((e) => e.field)).toEqual([
        'memoryGiB',
        'memBandwidthGBPerS',
        'bf16Tflops',
        'interconnect',
        'interconnectGBPerS',
        'gpusPerNode',
        'tdpWatts',
        'priceUsdPerHour',
      ]);
      expect(r.error.find((e) => e.field === 'bf16Tflops')?.reason).toBe('is required');
    }
    expect(parseCustomGpu([VALID])).toEqual({ ok: false, error: [{ field: '(root)', reason: 'must be an object' }] });
  });

  it('ignores unknown fields (a newer export) instead of failing', () => {
    expect(valid({ ...VALID, colour: 'green' }).name).toBe('Acme X1');
  });
});

describe('custom GPU JSON import and export', () => {
  it('export then import gives the same GPUs back, without float noise from the unit scaling', () => {
    const gpus = [valid(VALID), valid({ ...VALID, name: 'Acme X2', memBandwidthGBPerS: 3350.5, memoryGiB: 79.6 })];
    expect(customGpuToJson(gpus[1] ?? valid(VALID)).memBandwidthGBPerS).toBe(3350.5);
    const back = parseCustomGpuText(customGpusToJsonText(gpus));
    expect(back).toEqual({ ok: true, value: gpus });
  });

  it('a list names the bad entry by position, refuses duplicates and overlong lists', () => {
    const r = parseCustomGpuList([VALID, { ...VALID, name: 'Other', tdpWatts: -1 }, VALID]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.map((e) => e.field)).toEqual(['[1].tdpWatts', '[2].name']);
    const many = Array.from({ length: MAX_CUSTOM_GPUS + 1 }, (_, i) => ({ ...VALID, name: `G${i}` }));
    expect(parseCustomGpuList(many).ok).toBe(false);
  });

  it('says where text that is not JSON breaks, and lists bad fields in one message', () => {
    expect(parseCustomGpuText('{\n  "name": "A",\n  oops\n}')).toEqual({ ok: false, error: expect.stringMatching(/^Not valid JSON \(line 3, column \d+\)/) });
    const r = parseCustomGpuText(JSON.stringify({ ...VALID, memoryGiB: -1, priceUsdPerHour: 'free' }));
    expect(r).toEqual({ ok: false, error: 'Not imported: memoryGiB must be between 1 and 1024; priceUsdPerHour must be a number.' });
  });

  it('the export holds GPU figures only: no token, no other state', () => {
    const text = customGpusToJsonText([valid(VALID)]);
    expect(Object.keys(JSON.parse(text)[0] as object).sort()).toEqual([...Object.keys(VALID), 'efficiencyLike'].sort());
    expect(text).not.toMatch(/hf_|token/i);
  });
});

describe('parseCustomGpuDraft (the form)', () => {
  const draft = { ...EMPTY_CUSTOM_GPU_DRAFT, ...Object.fromEntries(Object.entries(VALID).map(([k, v]) => [k, String(v)])) };

  it('reads the typed text with the same rules as an import', () => {
    expect(parseCustomGpuDraft(draft)).toEqual(parseCustomGpu(VALID));
  });

  it('an empty optional field is absent; an empty required one or non-numeric text is named', () => {
    expect(parseCustomGpuDraft({ ...draft, fp8Tflops: ' ' }).ok).toBe(true);
    const r = parseCustomGpuDraft({ ...draft, memoryGiB: '', tdpWatts: '700 W' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toEqual([
      { field: 'memoryGiB', reason: 'is required' },
      { field: 'tdpWatts', reason: 'must be a number' },
    ]);
  });
});

describe('custom GPUs in saved work', () => {
  it('survive a round trip through localStorage, with a price override of their own', () => {
    const storage = memoryStorage();
    const gpu = valid(VALID);
    writeSavedWork(storage, { priceOverridesUsdPerHour: { [gpu.id]: 1.75 }, scenarios: [], customGpus: [gpu] });
    expect(readSavedWork(storage, ['H100'])).toEqual({
      work: { priceOverridesUsdPerHour: { [gpu.id]: 1.75 }, scenarios: [], customGpus: [gpu] },
      notice: null,
    });
  });

  it('a tampered custom GPU resets the saved data with a notice naming the field', () => {
    const storage = memoryStorage();
    storage.data[SAVED_WORK_KEY] = JSON.stringify({ version: 1, customGpus: [{ ...VALID, memoryGiB: 'ninety' }] });
    const { work, notice } = readSavedWork(storage, ['H100']);
    expect(work.customGpus).toEqual([]);
    expect(notice).toMatch(/\[0\]\.memoryGiB must be a number.*reset/);
    expect(storage.data[SAVED_WORK_KEY]).toBeUndefined();
  });

  it('withCustomGpus replaces a GPU of the same name and keeps at most MAX_CUSTOM_GPUS', () => {
    const a = valid(VALID);
    const a2 = valid({ ...VALID, priceUsdPerHour: 9 });
    expect(withCustomGpus([a], [a2])).toEqual([a2]);
    const many = Array.from({ length: MAX_CUSTOM_GPUS + 3 }, (_, i) => valid({ ...VALID, name: `G${i}` }));
    expect(withCustomGpus([], many)).toHaveLength(MAX_CUSTOM_GPUS);
  });
});
