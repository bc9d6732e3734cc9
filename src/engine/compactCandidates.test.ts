import { describe, expect, it } from 'vitest';
import { collapseReplicaCopies, compactRanking, selectCompactCandidates } from './compactCandidates';

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

describe('collapseReplicaCopies', () => {
  const layoutEntry = (index: number, gpuId: string, tp: number, dp: number, ep = false) => ({
    index,
    candidate: { gpuId, gpuCount: tp * dp, layout: { tp, pp: 1, dp, ep } },
  });

  it('keeps the best-ranked copy count of each replica shape and lists every copy count on it', () => {
    // H100 TP1 ×1/×2/×4/×8 (indices 0, 3, 5, 6), H100 TP2 ×1/×2 (1, 4), L40S TP1 ×1 (2).
    const entries = [layoutEntry(3, 'H100', 1, 2), layoutEntry(0, 'H100', 1, 1), layoutEntry(1, 'H100', 2, 1), layoutEntry(2, 'L40S', 1, 1), layoutEntry(6, 'H100', 1, 8), layoutEntry(4, 'H100', 2, 2), layoutEntry(5, 'H100', 1, 4)];
    const rows = collapseReplicaCopies(entries);
    expect(rows.map((r) => r.index)).toEqual([0, 1, 2]);
    expect(rows[0]?.replicaCopies?.map((c) => [c.gpuCount, c.copies, c.index])).toEqual([
      [1, 1, 0],
      [2, 2, 3],
      [4, 4, 5],
      [8, 8, 6],
    ]);
    expect(rows[1]?.replicaCopies?.map((c) => c.copies)).toEqual([1, 2]);
    expect(rows[2]?.replicaCopies).toBeUndefined();
  });

  it('keeps entries asked for as their own rows, unlisted unless they lead their shape', () => {
    const entries = [layoutEntry(0, 'H100', 1, 1), layoutEntry(1, 'H100', 1, 2), layoutEntry(2, 'H100', 1, 8)];
    const rows = collapseReplicaCopies(entries, new Set([2]));
    expect(rows.map((r) => r.index)).toEqual([0, 2]);
    expect(rows[0]?.replicaCopies?.map((c) => c.index)).toEqual([0, 1]);
    expect(rows[1]?.replicaCopies).toBeUndefined();
    // A kept entry that ranks best in its shape (the cheapest pick) still stands for the others.
    const led = collapseReplicaCopies(entries, new Set([0]));
    expect(led.map((r) => r.index)).toEqual([0]);
    expect(led[0]?.replicaCopies?.map((c) => c.index)).toEqual([0, 1, 2]);
  });

  it('does not merge expert-parallel layouts of different DP degrees (their ranks share the experts)', () => {
    const entries = [layoutEntry(0, 'H100', 1, 4, true), layoutEntry(1, 'H100', 1, 8, true)];
    expect(collapseReplicaCopies(entries).map((r) => r.index)).toEqual([0, 1]);
  });
});
