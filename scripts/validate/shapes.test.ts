import { describe, expect, it } from 'vitest';
import { expectedTokensPerStep } from '../../src/engine/perf/speculative';
import { SHAPES, acceptanceForAcceptedLength, loadShapeRows, runShapesValidation, scoreShapeRow } from './shapes';

describe('shapes validation (fixtures/truth/shapes_calibration.csv)', () => {
  const rows = loadShapeRows();

  it('parses every row with a source, a known shape, a measured value and notes on what was assumed', () => {
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(r.source?.length ?? 0).toBeGreaterThan(0);
      expect(SHAPES as readonly string[]).toContain(r.shape);
      expect(Number(r.value)).toBeGreaterThan(0);
      expect(r.notes?.length ?? 0).toBeGreaterThan(0);
    }
    // Each shape has at least one row, and P/D rows name both pools.
    for (const shape of SHAPES) expect(rows.some((r) => r.shape === shape)).toBe(true);
    for (const r of rows.filter((x) => x.shape === 'pd')) {
      expect(Number(r.prefill_replicas)).toBeGreaterThan(0);
      expect(Number(r.decode_replicas)).toBeGreaterThan(0);
    }
  });

  it('inverts the expected tokens per verify step: the accepted length a source states gives back its α', () => {
    for (const k of [1, 3, 5]) {
      for (const alpha of [0.3, 0.6, 0.9]) {
        const length = expectedTokensPerStep(alpha, k);
        expect(acceptanceForAcceptedLength(length, k)).toBeCloseTo(alpha, 6);
      }
    }
    expect(acceptanceForAcceptedLength(1, 3)).toBe(0);
    expect(acceptanceForAcceptedLength(4, 3)).toBe(1);
  });

  it('scores a speculative row with a stated accepted length and prints the default acceptance beside it', () => {
    const i = rows.findIndex((r) => r.shape === 'spec' && r.spec_accepted_length !== '' && Number(r.spec_tokens) > 0);
    expect(i).toBeGreaterThanOrEqual(0);
    const row = rows[i];
    if (row === undefined) throw new Error('no row');
    const r = scoreShapeRow(row, i + 2);
    if ('reason' in r) throw new Error(r.reason);
    expect(r.shape).toBe('spec');
    expect(Number.isFinite(r.predicted) && r.predicted > 0).toBe(true);
    expect(r.errorPct).toBeCloseTo(((r.predicted - r.measured) / r.measured) * 100, 9);
    expect(r.alternatives.some((a) => a.label.startsWith('default α'))).toBe(true);
  });

  it('says why a row cannot be scored instead of scoring it', () => {
    const row = { ...rows[0], shape: 'tree-of-thought' };
    const r = scoreShapeRow(row, 2);
    expect('reason' in r && r.reason).toContain('shape');
  });

  it('evaluates every row of the file, each shape in the per-shape medians', () => {
    const v = runShapesValidation({ quiet: true });
    expect(v.skipped).toEqual([]);
    expect(v.rows.length).toBe(rows.length);
    for (const s of v.byShape) {
      expect(s.rows).toBeGreaterThan(0);
      expect(Number.isFinite(s.medianAbsErrorPct)).toBe(true);
    }
  });
});
