import { describe, expect, it } from 'vitest';
import { DEFAULT_SERVING_SETTINGS } from '../defaults';
import type { RecommendRequest, TargetLoad } from '../types';
import { disaggIgnored, disaggPairRow } from './disaggRows';
import { recommendDisagg } from './recommendDisagg';
import type { DisaggRouting } from './routing';
import { catalogGpu, session } from './testPools.testing';

const request: RecommendRequest = {
  inputTokens: 2048,
  outputTokens: 256,
  concurrency: 'sweep',
  serving: { ...DEFAULT_SERVING_SETTINGS, maxModelLenTokens: 8192 },
  slo: { maxTtftMs: 1500, maxItlMs: 40, maxE2eMs: null },
  maxGpus: 64,
  gpuIds: null,
  priceOverridesUsdPerHour: {},
  engine: 'vllm',
};
const target: TargetLoad = { ratePerS: 10, burstiness: 1, slo: { percentile: 99, maxTtftMs: 1500, maxItlMs: 40, maxE2eMs: null }, numRequests: 150 };

/** recommendDisagg itself on the one H100 → H100 pair, for the row to be compared with. */
const directH100Pair = (t: TargetLoad, routing?: DisaggRouting) =>
  recommendDisagg(session, {
    inputTokens: 2048,
    outputTokens: 256,
    target: t,
    serving: request.serving,
    engine: 'vllm',
    prefillGpus: [catalogGpu('H100')],
    decodeGpus: [catalogGpu('H100')],
    priceOverridesUsdPerHour: {},
    maxGpus: 64,
    ...(routing === undefined ? {} : { routing }),
  }).pairs[0];

describe('disaggPairRow', () => {
  const row = disaggPairRow(session, { request, target, prefillGpuId: 'H100', decodeGpuId: 'H100' });

  it('is recommendDisagg’s plan for the one pair, flattened: pools, transfer, p99 latencies, cost', () => {
    const direct = directH100Pair(target);
    const best = direct?.search.best;
    expect(row.status).toBe('planned');
    expect(best).toBeDefined();
    expect(row.plan?.prefill.replicas).toBe(best?.prefillReplicas);
    expect(row.plan?.decode.replicas).toBe(best?.decodeReplicas);
    expect(row.plan?.ttftAtPercentileMs).toBe(best?.estimate.latency.ttftP99Ms);
    expect(row.plan?.itlAtPercentileMs).toBe(best?.estimate.latency.itlP99Ms);
    expect(row.plan?.costUsdPerHour).toBe(best?.estimate.costUsdPerHour);
    expect(row.plan?.kvTransferMsPerRequest).toBe(best?.estimate.kvTransferMsPerRequest);
    expect(row.plan?.totalGpus).toBe((row.plan?.prefill.gpuCount ?? 0) + (row.plan?.decode.gpuCount ?? 0));
    expect(row.plan?.meetsSlo).toBe(true);
  });

  it('carries the launch commands of its plan (NixlConnector, the planned max_model_len) and crosses a structured clone unchanged', () => {
    expect(row.plan?.launch.prefill.command).toContain('--kv-transfer-config');
    expect(row.plan?.launch.decode.command).toContain('--max-model-len 8192');
    expect(row.plan?.launch.llmd.decode.replicas).toBe(row.plan?.decode.replicas);
    expect(structuredClone(row)).toEqual(row);
  });

  it('is compared with aggregated serving on the decode shape at the plan’s GPU count', () => {
    expect(row.aggregated?.gpuId).toBe('H100');
    const copies = Math.floor((row.plan?.totalGpus ?? 0) / ((row.plan?.decode.tp ?? 1) * (row.plan?.decode.pp ?? 1)));
    expect(row.aggregated?.atEqualGpus?.replicas).toBe(copies);
  });

  it('a budget below both pools’ fewest replicas is over-gpu-budget, with no plan', () => {
    const r = disaggPairRow(session, { request: { ...request, maxGpus: 1 }, target, prefillGpuId: 'H100', decodeGpuId: 'H100' });
    expect(r.status).toBe('over-gpu-budget');
    expect(r.plan).toBeNull();
  });

  it('an unknown GPU id does not fit (no throw)', () => {
    expect(disaggPairRow(session, { request, target, prefillGpuId: 'nope', decodeGpuId: 'H100' }).status).toBe('does-not-fit');
  });

  it('runs prefix caching in the prefill pool and speculation in the decode pool (nothing left out when both resolve)', () => {
    expect(disaggIgnored(request, session.arch)).toEqual([]);
    const prefixed = { ...request, serving: { ...request.serving, prefixCache: { sharedPrefixTokens: 1536, hitRate: 1 } } };
    const cached = disaggPairRow(session, { request: prefixed, target, prefillGpuId: 'H100', decodeGpuId: 'H100' });
    expect(cached.ignored).toEqual([]);
    // The decode replica already holds the shared prefix: the transfer carries only the uncached blocks.
    expect(cached.plan?.kvTransferBytesPerRequest ?? Infinity).toBeLessThan(row.plan?.kvTransferBytesPerRequest ?? 0);
    expect(cached.plan?.ttftParts.prefillMs ?? Infinity).toBeLessThan(row.plan?.ttftParts.prefillMs ?? 0);
  });

  it('names a speculative setting the model cannot take (MTP without declared layers) and plans without it', () => {
    const mtp = { ...request, speculativeSettings: { method: 'mtp' as const, tokens: 1, acceptance: null } };
    const named = disaggIgnored(mtp, session.arch);
    expect(named).toHaveLength(1);
    expect(named[0]).toMatch(/^speculative decoding \(/);
    const r = disaggPairRow(session, { request: mtp, target, prefillGpuId: 'H100', decodeGpuId: 'H100' });
    expect(r.ignored).toEqual(named);
    expect(r.plan?.decode.replicas).toBe(row.plan?.decode.replicas);
  });

  it('sizes the pair under the routing asked for: least-loaded is recommendDisagg’s least-loaded plan, and differs from round-robin where several replicas share the load', () => {
    const busy: TargetLoad = { ...target, ratePerS: 30 };
    const roundRobin = disaggPairRow(session, { request, target: busy, prefillGpuId: 'H100', decodeGpuId: 'H100' });
    const leastLoaded = disaggPairRow(session, { request, target: busy, prefillGpuId: 'H100', decodeGpuId: 'H100', routing: 'least-loaded' });
    const direct = directH100Pair(busy, 'least-loaded')?.search.best;
    expect(leastLoaded.plan?.prefill.replicas).toBeGreaterThan(1);
    expect(leastLoaded.plan?.ttftMs).toBe(direct?.estimate.latency.ttftMs);
    expect(leastLoaded.plan?.prefill.replicas).toBe(direct?.prefillReplicas);
    expect(JSON.stringify(leastLoaded.plan)).not.toBe(JSON.stringify(roundRobin.plan));
  });
});
