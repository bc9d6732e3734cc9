import { describe, expect, it } from 'vitest';
import { KV_TRANSFER_FIXED_MS, kvLinkBetween, kvLinkUtilisation, kvTransfer } from './kvTransfer';
import { LINK_BANDWIDTH_FRACTION } from '../calibration';
import { pool } from './testPools.testing';

describe('kvTransfer', () => {
  it("moves the planner's per-token KV bytes × prompt tokens to every decode rank", () => {
    for (const [ptp, dtp] of [
      [1, 1],
      [1, 2],
      [2, 4],
    ] as const) {
      const p = pool('H100', ptp);
      const d = pool('H100', dtp);
      const t = kvTransfer(p, d, 1000);
      expect(t.bytesPerTokenPerDecodeRank).toBe(d.memory.kvBytesPerTokenPerGpu);
      expect(t.bytesPerRequest).toBe(d.memory.kvBytesPerTokenPerGpu * 1000 * dtp);
    }
  });

  it('hand-checked: Llama-3.1-8B bf16, 1,000 prompt tokens, H100 TP1 → TP1 over NVLink and over the NIC', () => {
    // 32 layers × 8 KV heads × 128 dims × 2 (K and V) × 2 bytes = 131,072 bytes per token.
    const p = pool('H100', 1);
    const d = pool('H100', 1);
    expect(d.memory.kvBytesPerTokenPerGpu).toBe(131_072);
    const nvlink = kvTransfer(p, d, 1000);
    expect(nvlink.link.kind).toBe('nvlink');
    // 131.072 MB at 450 GB/s × 0.8 = 0.3641 ms, + the fixed cost.
    expect(nvlink.msPerRequest).toBeCloseTo(KV_TRANSFER_FIXED_MS + (131.072e6 / (450e9 * LINK_BANDWIDTH_FRACTION)) * 1000, 6);
    // Eight decode replicas + one prefill: 9 GPUs leave the 8-GPU node: one 400 Gb/s NIC per GPU.
    const network = kvTransfer(p, { ...d, replicas: 8 }, 1000);
    expect(network.link.kind).toBe('network');
    expect(network.msPerRequest).toBeCloseTo(KV_TRANSFER_FIXED_MS + (131.072e6 / (50e9 * LINK_BANDWIDTH_FRACTION)) * 1000, 6);
  });

  it('is faster over NVLink than over the network, for every prompt length', () => {
    const p = pool('H100', 2);
    const d = pool('H100', 2);
    for (const tokens of [16, 512, 4096, 32_000]) {
      const fast = kvTransfer(p, d, tokens);
      const slow = kvTransfer(p, { ...d, replicas: 4 }, tokens);
      expect(fast.link.kind).toBe('nvlink');
      expect(slow.link.kind).toBe('network');
      expect(fast.msPerRequest).toBeLessThan(slow.msPerRequest);
    }
  });

  it('takes the network between different GPU types, at the slower NIC', () => {
    const link = kvLinkBetween(pool('H100', 1), pool('A100-80GB', 1));
    expect(link.kind).toBe('network');
    expect(link.bytesPerS).toBeGreaterThan(0);
    expect(link.source).toMatch(/Gb\/s/);
  });

  it('the rank side with fewer ranks moves more each: TP1 prefill → TP2 decode costs what TP1 → TP1 does', () => {
    const one = kvTransfer(pool('H100', 1), pool('H100', 1), 2048);
    const two = kvTransfer(pool('H100', 1), pool('H100', 2), 2048);
    expect(two.bytesPerRequest).toBe(one.bytesPerRequest);
    expect(two.msPerRequest).toBeCloseTo(one.msPerRequest, 9);
    // Both sides at TP2: each rank moves half.
    const both = kvTransfer(pool('H100', 2), pool('H100', 2), 2048);
    expect(both.msPerRequest - KV_TRANSFER_FIXED_MS).toBeCloseTo((one.msPerRequest - KV_TRANSFER_FIXED_MS) / 2, 9);
  });

  it('link utilisation is bytes per second over the prefill GPUs’ links', () => {
    const t = kvTransfer(pool('H100', 1), pool('H100', 1, 8), 1000);
    expect(kvLinkUtilisation(t, 100, 1)).toBeCloseTo((100 * t.bytesPerRequest) / t.link.bytesPerS, 9);
    expect(kvLinkUtilisation(t, 100, 4)).toBeCloseTo((100 * t.bytesPerRequest) / (4 * t.link.bytesPerS), 9);
  });
});
