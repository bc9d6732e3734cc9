import { describe, expect, it } from 'vitest';
import { GiB } from '../engine/units';
import { customGpuToJson, parseCustomGpu, parseCustomGpuList } from './customGpus';
import { readSavedWork, writeSavedWork } from './savedWork';

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

describe('custom GPUs', () => {
  it('parses the form units into a GpuSpec (GiB as the runtime reports it, GB/s as datasheets print it)', () => {
    const r = parseCustomGpu(VALID);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.id).toBe('custom:Acme X1');
    expect(r.value.memoryBytes).toBe(94 * GiB);
    expect(r.value.memBandwidthBytesPerS).toBe(4000e9);
    expect(r.value.denseTflops.fp8).toBe(1600);
    expect(customGpuToJson(r.value)).toEqual(VALID);
  });

  it.each([
    ['memoryGiB', -5],
    ['memoryGiB', 'lots'],
    ['memBandwidthGBPerS', 4e12],
    ['bf16Tflops', Number.NaN],
    ['interconnect', 'carrier pigeon'],
    ['priceUsdPerHour', 0],
    ['name', ''],
  ])('names the bad field %s (%s)', (field, value) => {
    const r = parseCustomGpu({ ...VALID, [field]: value });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.field).toBe(field);
  });

  it('a list names the bad entry by position and refuses catalog names', () => {
    const r = parseCustomGpuList([VALID, { ...VALID, name: 'Other', tdpWatts: -1 }]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.field).toBe('[1].tdpWatts');
    const clash = parseCustomGpuList({ ...VALID, name: 'H100' });
    expect(clash.ok).toBe(false);
  });

  it('survives a round trip through saved work', () => {
    const data: Record<string, string> = {};
    const storage = { getItem: (k: string) => data[k] ?? null, setItem: (k: string, v: string) => void (data[k] = v), removeItem: (k: string) => void delete data[k] };
    const gpu = parseCustomGpu(VALID);
    if (!gpu.ok) throw new Error('fixture');
    writeSavedWork(storage, { priceOverridesUsdPerHour: {}, scenarios: [], customGpus: [gpu.value] });
    expect(readSavedWork(storage, []).work.customGpus).toEqual([gpu.value]);
  });
});
