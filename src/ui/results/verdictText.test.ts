import { describe, expect, it } from 'vitest';
import type { Verdict } from '../../engine/types';
import { makeVerdictRow } from './verdictRow.testing';
import { fixText, layoutName, verdictWords } from './verdictText';

const row = makeVerdictRow;

describe('verdict words', () => {
  it('names layouts replicas first, with EP ranks', () => {
    expect(layoutName({ tp: 1, pp: 1, dp: 8, ep: true })).toBe('DP8 · TP1 · EP8');
    expect(layoutName({ tp: 4, pp: 2, dp: 1, ep: false })).toBe('TP4 · PP2');
  });
  it('says the recommendation, its operating point, the reason and why the competitor loses', () => {
    const v: Verdict = {
      kind: 'pick',
      pick: row(),
      reason: 'cheapest-meeting-slo',
      load: 'sweep',
      tieBandPct: 14,
      competitor: { row: row({ gpuId: 'L40S', index: 3 }), costDiffPct: -18, loss: { kind: 'misses-slo', missed: [{ limit: 'itl', limitMs: 20, achievedMs: 31 }] } },
    };
    const w = verdictWords(v, 'Qwen3-8B');
    expect(w.headline).toBe('Serve Qwen3-8B on 1 × H100 (TP1): ITL 12.4 ms, TTFT 210.0 ms @ 32 concurrent, $0.0500 per M output tokens — the cheapest that meets every latency limit.');
    expect(w.detail).toBe('1 × L40S (TP1) is 18.0 % cheaper but misses the ITL limit (31.0 ms > 20.0 ms).');
  });
  it('calls a tie a tie', () => {
    const v: Verdict = { kind: 'pick', pick: row(), reason: 'simpler-in-tie', load: 'sweep', tieBandPct: 14, competitor: { row: row({ gpuCount: 2, layout: { tp: 1, pp: 2, dp: 1, ep: false } }), costDiffPct: -1, loss: { kind: 'tie', pickSimplerBy: ['fewer-gpus', 'no-pp'] } } };
    expect(verdictWords(v, 'm').detail).toBe('Tie: 2 × H100 (TP1 · PP2) is 1.00 % cheaper, within the ±14.0 % error band; the pick needs fewer GPUs and no pipeline parallelism.');
  });
  it('when nothing fits, names the nearest fix', () => {
    const v: Verdict = { kind: 'none-fits', closestIndex: 0, gpuId: 'H100', needsGpus: 10, fix: { kind: 'layout', gpuId: 'H100', layout: { tp: 8, pp: 2, dp: 1, ep: false }, gpuCount: 16, maxGpus: 16 } };
    const w = verdictWords(v, '405B');
    expect(w.headline).toContain('needs ≥ 10 × H100');
    expect(w.detail).toBe('Nearest fix: Use 16 × H100 (TP8 · PP2) (GPU budget 16).');
  });
  it('words every fix', () => {
    expect(fixText({ kind: 'slo', limits: { maxItlMs: 40, maxTtftMs: 2000 } })).toBe('Loosen the limit to TTFT ≤ 2.00 s and ITL ≤ 40.0 ms');
    expect(fixText({ kind: 'kv-cache-dtype', kvCacheDtype: 'fp8' })).toBe('Use an FP8 KV cache');
  });
});
