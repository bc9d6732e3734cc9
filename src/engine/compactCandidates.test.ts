import { describe, expect, it } from 'vitest';
import { compactRanking, selectCompactCandidates } from './compactCandidates';

const NO_PICKS = { cheapestMeetingSlo: null, lowestLatency: null, highestThroughput: null };
const entry = (index: number, gpuId: string, gpuCount: number) => ({ index, candidate: { gpuId, gpuCount } });

describe('selectCompactCandidates', () => {
  it('keeps the lowest-index (best-ranked) entry per GPU type × count and counts the layouts it leaves out', () => {
    // H100 ×2 has three layouts (0, 2, 4); A100 ×1 one (1); H100 ×1 one (3).
    const entries = [entry(4, 'H100', 2), entry(2, 'H100', 2), entry(1, 'A100', 1), entry(0, 'H100', 2), entry(3, 'H100', 1)];
    const kept = selectCompactCandidates(entries, NO_PICKS);
    expect(kept.map((e) => e.index)).toEqual([1, 0, 3]);
    expect(kept.map((e) => e.otherLayouts)).toEqual([0, 2, 0]);
  });

  it('keeps best-pick entries beside their group’s best, and counts them as shown', () => {
    const entries = [entry(0, 'H100', 2), entry(1, 'H100', 2), entry(2, 'H100', 2)];
    const kept = selectCompactCandidates(entries, { ...NO_PICKS, lowestLatency: 2 });
    expect(kept.map((e) => e.index)).toEqual([0, 2]);
    expect(kept[0]?.otherLayouts).toBe(1);
    expect(kept[1]?.otherLayouts).toBeUndefined();
  });

  it('compactRanking lists a whole result in rank order', () => {
    const candidates = [{ gpuId: 'H100', gpuCount: 1 }, { gpuId: 'H100', gpuCount: 1 }, { gpuId: 'L40S', gpuCount: 1 }];
    const rows = compactRanking({ candidates, best: NO_PICKS });
    expect(rows.map((r) => r.index)).toEqual([0, 2]);
  });
});
