import { describe, expect, it } from 'vitest';
import { ENGINE_ERROR_TEXT, cellErrorExplain, cellExplain, cellText, gpuName, headerWithUnit, howToPassText, noFitText } from './columns';
import { sortValue } from './tableRows';
import { makeMemory, makePerf, makeResult } from './testData';

const result = makeResult();
const fitting = result.candidates[0];
const noFit = result.candidates[7];
if (fitting === undefined || noFit === undefined) throw new Error('fixture changed');

describe('headerWithUnit', () => {
  it('puts the unit in parentheses and leaves unitless columns bare', () => {
    expect(headerWithUnit('weightsPerGpu')).toBe('Weights / GPU (GiB)');
    expect(headerWithUnit('costPerMTokens')).toBe('$/M output tokens (USD)');
    expect(headerWithUnit('gpu')).toBe('GPU');
  });
});

describe('cellText', () => {
  it('states GiB on memory figures and formats latency, throughput and cost', () => {
    expect(cellText('weightsPerGpu', fitting)).toBe('15.0 GiB');
    expect(cellText('kvPool', fitting)).toBe('54.8 GiB');
    expect(cellText('maxConcurrency', fitting)).toBe('54.8×');
    expect(cellText('itl', fitting)).toBe('20.0 ms');
    expect(cellText('e2e', fitting)).toBe('20.6 s');
    expect(cellText('outputTokensPerS', fitting)).toBe('1,500 tok/s');
    expect(cellText('costPerMTokens', fitting)).toBe('$0.560');
  });

  it('shows a dash where a non-fitting row has no figure, and the reason under Fits', () => {
    expect(cellText('itl', noFit)).toBe('—');
    expect(cellText('kvPool', noFit)).toBe('—');
    expect(cellText('fits', noFit)).toMatch(/^No: Weights need 14.96 GiB/);
  });
});

describe('noFitText', () => {
  it("prefers the engine's sentence, else names the reason", () => {
    expect(noFitText(makeMemory({ fits: false, reason: 'context-exceeds-kv', message: null }))).toBe('Context longer than the KV pool');
  });
});

describe('cellExplain', () => {
  it('picks the explain lines about the column, and none for non-memory columns', () => {
    expect(cellExplain('weightsPerGpu', fitting.memory)).toBe('Weights on rank 0: 15.00 GiB (BF16, TP=1, PP stage 0 of 1: layers 0–31).');
    expect(cellExplain('kvPool', fitting.memory)).toBe(
      'KV pool: 72.00 GiB − 15.00 GiB − 2.00 GiB − 0.25 GiB = 54.75 GiB.\nKV per token on this GPU: 131072 B over 32 layers (2 B per element).\n' +
        'GPU KV cache size: 448512 tokens; maximum concurrency for 8192 tokens per request: 54.75x.',
    );
    expect(cellExplain('maxConcurrency', fitting.memory)).toBe('GPU KV cache size: 448512 tokens; maximum concurrency for 8192 tokens per request: 54.75x.');
    expect(cellExplain('itl', fitting.memory)).toBeNull();
  });

  it("picks lines by the engine's subject tag, not their wording", () => {
    // The bug this guards: the hover text used to be chosen by matching the start of each English
    // line (/^weights?/ …), so rewording a line in the engine silently emptied its column's hover.
    const memory = fitting.memory;
    if (memory.explainText === null) throw new Error('fixture changed');
    const reworded = makeMemory({ explainText: { ...memory.explainText, weights: 'Rank 0 holds 15.00 GiB of parameters.' } });
    expect(cellExplain('weightsPerGpu', reworded)).toBe('Rank 0 holds 15.00 GiB of parameters.');
  });

  it('explains Fits with the whole chain, budget to CUDA graphs', () => {
    const lines = cellExplain('fits', fitting.memory)?.split('\n') ?? [];
    expect(lines).toHaveLength(9);
    expect(lines[0]).toMatch(/^Budget: /);
    expect(lines[8]).toMatch(/^CUDA graphs /);
  });

  it('falls back to every line when none matches', () => {
    expect(cellExplain('weightsPerGpu', makeMemory({ explainText: null, fits: false, message: 'a' }))).toBe('a');
  });
});

describe('gpuName', () => {
  it('reads the catalog name and falls back to the id', () => {
    expect(gpuName('H100')).toMatch(/H100/);
    expect(gpuName('not-a-gpu')).toBe('not-a-gpu');
  });
});

describe('engine errors (PerfEstimate.perfError)', () => {
  const broken = {
    ...fitting,
    perf: makePerf({ itlMs: Infinity, ttftMs: Number.NaN, perfError: { kind: 'invalid-figure', field: 'ttftMs', reason: 'not-a-number', value: Number.NaN } }),
  };

  it('shows "engine error" in every figure cell, never a number or $0', () => {
    for (const column of ['ttft', 'itl', 'e2e', 'outputTokensPerS', 'tokensPerSPerGpu', 'costPerHour', 'costPerMTokens'] as const) {
      expect(cellText(column, broken)).toBe(ENGINE_ERROR_TEXT);
    }
    // The plan's own cells stay.
    expect(cellText('weightsPerGpu', broken)).toBe('15.0 GiB');
  });

  it('says on hover which figure broke and how', () => {
    expect(cellErrorExplain('ttft', broken)).toMatch(/^Engine error: ttftMs is not a number \(NaN\)/);
    expect(cellErrorExplain('weightsPerGpu', broken)).toBeNull();
    expect(cellErrorExplain('ttft', fitting)).toBeNull();
  });

  it('sorts the figures of an errored row as missing (last)', () => {
    expect(sortValue('itl', broken)).toBeNull();
    expect(sortValue('itl', fitting)).toBe(20);
  });
});

describe('the simulated columns at the target rate (issue 10)', () => {
  const planned = {
    status: 'planned' as const,
    targetRequestsPerS: 40,
    maxRatePerReplicaRequestsPerS: 15,
    replicasNeeded: 3,
    totalGpus: 6,
    costUsdPerHour: 18,
    usdPerMillionOutputTokens: 0.5,
    atTarget: { ttftMs: 300, ttftP50Ms: 250, ttftP90Ms: 600, ttftP95Ms: 800, ttftP99Ms: 1234, itlMs: 20, itlP50Ms: 18, itlP90Ms: 30, itlP95Ms: 35, itlP99Ms: 45.6, e2eMs: 5000, e2eP50Ms: 4800, e2eP90Ms: 6000, e2eP95Ms: 6500, e2eP99Ms: 7000, preemptions: 0, simulatedRequests: 300 },
    simulations: 10,
  };
  it('a planned row reads its replicas with GPUs and cost, and its p99 TTFT / ITL; they sort by cost and ms', () => {
    const row = { ...fitting, capacity: planned };
    expect(cellText('replicas', row)).toBe('3 (6 GPUs, $18.00/h)');
    expect(cellText('ttftP99', row)).toBe('1,234 ms');
    expect(cellText('itlP99', row)).toBe('45.6 ms');
    expect(sortValue('replicas', row)).toBe(18);
    expect(sortValue('ttftP99', row)).toBe(1234);
  });

  it('a row waiting for the simulator says so; one that cannot meet the SLOs says that; without a target rate a dash', () => {
    const waiting = { ...fitting, capacity: { status: 'not-simulated' as const, targetRequestsPerS: 40, boundUsdPerHour: null } };
    expect(cellText('replicas', waiting)).toBe('simulating…');
    expect(cellText('ttftP99', waiting)).toBe('simulating…');
    const unreachable = {
      ...fitting,
      capacity: { status: 'slo-unreachable' as const, targetRequestsPerS: 40, maxRatePerReplicaRequestsPerS: 0 as const, replicasNeeded: null, totalGpus: null, costUsdPerHour: null, usdPerMillionOutputTokens: null, atTarget: null, simulations: 9 },
    };
    expect(cellText('replicas', unreachable)).toBe('SLO unreachable');
    expect(sortValue('replicas', unreachable)).toBeNull();
    expect(cellText('replicas', fitting)).toBe('—');
  });
});

describe('the How to pass cell under a request rate', () => {
  const fix = { kind: 'slo' as const, limits: { maxItlMs: 60 } };
  const advice = { missed: [{ limit: 'itl' as const, limitMs: 40, achievedMs: 55 }], needsGpus: null, fix, passDistance: 1.3 };
  it('marks a fix the engine checked on the closed form, and only such a fix', () => {
    expect(howToPassText(fitting, { ...advice, fixCheckedOn: 'closed-form' })).toBe('Loosen the limit to ITL ≤ 60.0 ms (closed-form check)');
    expect(howToPassText(fitting, advice)).toBe('Loosen the limit to ITL ≤ 60.0 ms');
    expect(howToPassText(fitting, { ...advice, fixCheckedOn: 'simulated' })).toBe('Loosen the limit to ITL ≤ 60.0 ms (simulated)');
    expect(howToPassText(fitting, { ...advice, fixCheckedOn: 'simulating' })).toBe('Loosen the limit to ITL ≤ 60.0 ms (simulating…)');
  });
});
