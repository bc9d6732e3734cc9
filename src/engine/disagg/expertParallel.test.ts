import { describe, expect, it } from 'vitest';
import { createEngineSession } from '../session';
import { fixtureArch } from '../fixtureArch.testing';
import type { Layout } from '../types';
import { kvTransfer } from './kvTransfer';
import { poolShape } from './recommendDisagg';
import type { DisaggPool } from './simulateDisagg';
import { engineRanksPerReplica, gpusPerReplica, poolEngines, runDisaggTandem, simulateDisagg } from './simulateDisagg';
import { catalogGpu, serving, workload } from './testPools.testing';

const arch = fixtureArch('Qwen__Qwen3-30B-A3B');
const session = createEngineSession(arch);
const h100 = catalogGpu('H100');

function moePool(layout: Layout, replicas: number): DisaggPool {
  const s = poolShape(session, h100, layout, serving, 'vllm', h100.priceUsdPerHour);
  if (!s.ok) throw new Error(s.error.message ?? 'does not fit');
  return { ...s.value, replicas };
}

const EP4: Layout = { tp: 1, pp: 1, dp: 4, ep: true };
const TP2: Layout = { tp: 2, pp: 1, dp: 1, ep: false };

describe('expert parallelism in the P/D pools (Qwen3-30B-A3B on H100)', () => {
  it('an EP replica is tp × dp GPUs and dp engine schedulers; a TP replica one engine of tp × pp GPUs (dp ignored without EP)', () => {
    expect(gpusPerReplica(EP4)).toBe(4);
    expect(engineRanksPerReplica(EP4)).toBe(4);
    expect(gpusPerReplica({ tp: 2, pp: 2, dp: 4, ep: false })).toBe(4);
    expect(poolEngines({ layout: EP4 }, 3)).toBe(12);
    expect(poolEngines({ layout: TP2 }, 3)).toBe(3);
  });

  it('the KV of a request goes to one DP rank (its tp × pp GPUs), but all dp ranks count towards the NVLink domain', () => {
    const p = moePool(TP2, 1);
    const d = moePool(EP4, 1);
    const t = kvTransfer(p, d, 1000);
    expect(t.bytesPerRequest).toBe(d.memory.kvBytesPerTokenPerGpu * 1000);
    // 2 + 4 GPUs fit one 8-GPU HGX node; a second decode replica (2 + 8) does not.
    expect(t.link.kind).toBe('nvlink');
    expect(kvTransfer(p, { ...d, replicas: 2 }, 1000).link.kind).toBe('network');
  });

  it('the simulator runs every DP rank of the decode pool, round-robin over the ranks, and costs every GPU', () => {
    const p = moePool(TP2, 1);
    const d = moePool(EP4, 1);
    const w = { ...workload(6, 1024, 64), numRequests: 40 };
    const run = runDisaggTandem(p, d, w);
    expect(run.decode.replicas).toBe(4);
    expect(run.decode.traces).toHaveLength(4);
    expect(run.requests.sendMs).toHaveLength(40 * 4);
    const e = simulateDisagg(p, d, w);
    expect(e.totalGpus).toBe(2 + 4);
    expect(e.costUsdPerHour).toBeCloseTo(6 * h100.priceUsdPerHour, 9);
    expect(e.prefillKeepsUp && e.decodeKeepsUp).toBe(true);
    expect(e.latency.measuredRequests).toBeGreaterThan(100);
  });

  it('the EP layout is planned as one: experts spread over the dp ranks leave more KV per GPU than a single GPU holding them all', () => {
    const one = moePool({ tp: 1, pp: 1, dp: 1, ep: false }, 1);
    const ep = moePool(EP4, 1);
    expect(ep.memory.weightsBytesPerGpu).toBeLessThan(one.memory.weightsBytesPerGpu);
    expect(ep.memory.kvCacheTokens).toBeGreaterThan(one.memory.kvCacheTokens);
  });
});
