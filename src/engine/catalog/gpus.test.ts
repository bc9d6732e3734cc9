import { describe, expect, it } from 'vitest';
import { DTYPES, GPU_GENERATIONS, type GpuSpec } from '../types';
import { GB, GiB, TB } from '../units';
import { GPU_CATALOG, GPU_IDS, findGpu, normalizeGpuQuery } from './gpus';

const DATE = /^\d{4}-\d{2}(-\d{2})?$/;

describe('GPU_CATALOG', () => {
  it('has one row per GPU_IDS entry, in the same order, with unique ids', () => {
    expect(GPU_CATALOG.map((g) => g.id)).toEqual([...GPU_IDS]);
    expect(new Set(GPU_IDS).size).toBe(GPU_IDS.length);
    expect(GPU_CATALOG.length).toBeGreaterThanOrEqual(25);
  });

  it('gives every row a datasheet source and a price source with an https url and a date', () => {
    for (const gpu of GPU_CATALOG) {
      expect(gpu.source.url, gpu.id).toMatch(/^https:\/\//);
      expect(gpu.priceSource.url, gpu.id).toMatch(/^https:\/\//);
      expect(gpu.source.retrieved, gpu.id).toMatch(DATE);
      expect(gpu.priceSource.retrieved, gpu.id).toMatch(DATE);
      expect(gpu.source.note ?? '', gpu.id).toMatch(/MEASURED|ESTIMATED/);
    }
  });

  it('keeps every figure positive and in a sane range', () => {
    for (const gpu of GPU_CATALOG) {
      const gib = gpu.memoryBytes / GiB;
      expect(gib, gpu.id).toBeGreaterThanOrEqual(8);
      expect(gib, gpu.id).toBeLessThanOrEqual(300);
      expect(Number.isInteger(gpu.memoryBytes), gpu.id).toBe(true);
      expect(gpu.memBandwidthBytesPerS, gpu.id).toBeGreaterThanOrEqual(250 * GB);
      expect(gpu.memBandwidthBytesPerS, gpu.id).toBeLessThanOrEqual(10 * TB);
      expect(gpu.interconnect.bytesPerS, gpu.id).toBeGreaterThanOrEqual(10 * GB);
      expect(gpu.interconnect.bytesPerS, gpu.id).toBeLessThanOrEqual(1 * TB);
      expect(gpu.interconnect.gpusPerNode, gpu.id).toBeGreaterThanOrEqual(1);
      expect(gpu.interconnect.gpusPerNode, gpu.id).toBeLessThanOrEqual(72);
      expect(gpu.tdpWatts, gpu.id).toBeGreaterThanOrEqual(50);
      expect(gpu.tdpWatts, gpu.id).toBeLessThanOrEqual(1500);
      expect(gpu.priceUsdPerHour, gpu.id).toBeGreaterThan(0.1);
      expect(gpu.priceUsdPerHour, gpu.id).toBeLessThan(20);
      expect(GPU_GENERATIONS, gpu.id).toContain(gpu.generation);
      const tflops = Object.entries(gpu.denseTflops);
      expect(tflops.length, gpu.id).toBeGreaterThan(0);
      for (const [dtype, value] of tflops) {
        expect(DTYPES, gpu.id).toContain(dtype);
        expect(value, `${gpu.id} ${dtype}`).toBeGreaterThan(1);
        // Dense peaks: nothing shipping exceeds ~15 PFLOPS dense per GPU at any precision.
        expect(value, `${gpu.id} ${dtype}`).toBeLessThan(16_000);
      }
      // Every row can run 16-bit maths on tensor cores (the smallest, RTX 4060 Ti 16GB, at 44 TFLOPS dense).
      const t: GpuSpec['denseTflops'] = gpu.denseTflops;
      expect(t.fp16 ?? t.bf16, gpu.id).toBeGreaterThan(20);
    }
  });

  it('gives every scale-out network a source and a NIC rate between 100 Gb/s and 1.6 Tb/s per GPU (issue 13)', () => {
    for (const gpu of GPU_CATALOG as readonly GpuSpec[]) {
      const net = gpu.network;
      if (net === undefined) continue;
      expect(net.source.url, gpu.id).toMatch(/^https:\/\//);
      expect(net.bytesPerS, gpu.id).toBeGreaterThanOrEqual(100e9 / 8);
      expect(net.bytesPerS, gpu.id).toBeLessThanOrEqual(1600e9 / 8);
    }
    // NVLink domains: HGX boards of 8, NVL72 racks of 72, GH200 quad nodes of 4.
    expect(findGpu('H100')?.interconnect.gpusPerNode).toBe(8);
    expect(findGpu('GB200')?.interconnect.gpusPerNode).toBe(72);
    expect(findGpu('GB300')?.interconnect.gpusPerNode).toBe(72);
    expect(findGpu('GH200')?.interconnect.gpusPerNode).toBe(4);
  });

  it('finds the 16 GB consumer cards and DGX Spark by their everyday names', () => {
    expect(findGpu('RTX 4060 Ti')?.id).toBe('RTX-4060-TI-16GB');
    expect(findGpu('GeForce RTX 5060 Ti')?.id).toBe('RTX-5060-TI-16GB');
    expect(findGpu('4080')?.id).toBe('RTX-4080');
    expect(findGpu('DGX Spark')?.id).toBe('DGX-SPARK');
    expect(findGpu('GB10')?.id).toBe('DGX-SPARK');
  });

  it('has no two rows with identical specs (copy-paste guard)', () => {
    const fingerprints = GPU_CATALOG.map((g) =>
      JSON.stringify([g.memoryBytes, g.memBandwidthBytesPerS, g.denseTflops, g.interconnect, g.tdpWatts, g.priceUsdPerHour]),
    );
    expect(new Set(fingerprints).size).toBe(fingerprints.length);
  });

  it('lists bf16 below fp8 below fp4 wherever both exist (datasheet sparse figures halved consistently)', () => {
    for (const gpu of GPU_CATALOG) {
      const t: GpuSpec['denseTflops'] = gpu.denseTflops;
      if (t.bf16 !== undefined && t.fp8 !== undefined) expect(t.bf16, gpu.id).toBeLessThan(t.fp8);
      if (t.fp8 !== undefined && t.fp4 !== undefined) expect(t.fp8, gpu.id).toBeLessThan(t.fp4);
      if (t.bf16 !== undefined && t.fp16 !== undefined) expect(t.bf16, gpu.id).toBe(t.fp16);
    }
  });

  it('gives the H100 SXM exactly the 79.19 GiB vLLM logs (85,029,158,912 bytes)', () => {
    const h100 = findGpu('H100');
    expect(h100?.memoryBytes).toBe(85_029_158_912);
    expect(((h100?.memoryBytes ?? 0) / GiB).toFixed(2)).toBe('79.19');
  });

  it('reports runtime totals below the marketing capacity for HBM parts (driver reservation)', () => {
    expect((findGpu('H200')?.memoryBytes ?? 0) / GiB).toBeCloseTo(139.81, 2);
    expect((findGpu('A100')?.memoryBytes ?? 0) / GiB).toBeCloseTo(79.15, 2);
    expect((findGpu('B200')?.memoryBytes ?? 0) / GiB).toBeCloseTo(178.35, 2);
    expect((findGpu('H20')?.memoryBytes ?? 0) / GiB).toBeCloseTo(95.0, 2);
  });
});

describe('findGpu', () => {
  it.each([
    ['H100', 'H100'],
    ['h100', 'H100'],
    ['H100-80GB', 'H100'],
    ['H100 SXM', 'H100'],
    ['NVIDIA H100 80GB HBM3', 'H100'],
    ['A100', 'A100-80GB'],
    ['A100 80GB', 'A100-80GB'],
    ['A100-SXM4-80GB', 'A100-80GB'],
    ['a100_40gb', 'A100-40GB'],
    ['RTX 5090', 'RTX-5090'],
    ['rtx5090', 'RTX-5090'],
    ['NVIDIA GeForce RTX 4090', 'RTX-4090'],
    ['RTX PRO 6000 Blackwell', 'RTX-PRO-6000'],
    ['RTX-PRO-6000', 'RTX-PRO-6000'],
    ['RTX 6000 Ada', 'RTX-6000-ADA'],
    ['H100 PCIe', 'H100-PCIE'],
    ['NVIDIA H100 NVL', 'H100-NVL'],
    ['GH200', 'GH200'],
    ['gb200', 'GB200'],
    ['L40S', 'L40S'],
    ['l40', 'L40'],
    ['Tesla T4', 'T4'],
    ['AMD Instinct MI300X', 'MI300X'],
    ['mi355x', 'MI355X'],
    ['NVIDIA B300 SXM6 AC', 'B300'],
  ])('finds %s as %s', (query, id) => {
    expect(findGpu(query)?.id).toBe(id);
  });

  it('returns undefined for unknown GPUs rather than a near miss', () => {
    expect(findGpu('H300')).toBeUndefined();
    expect(findGpu('RTX 3090')).toBeUndefined();
    expect(findGpu('')).toBeUndefined();
    expect(findGpu('nvidia')).toBeUndefined();
  });

  it('normalizeGpuQuery ignores case, spaces, underscores and hyphens', () => {
    expect(normalizeGpuQuery(' RTX_PRO-6000 Blackwell ')).toBe('rtxpro6000blackwell');
  });
});
