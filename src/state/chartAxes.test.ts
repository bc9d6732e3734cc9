import { describe, expect, it } from 'vitest';
import { costAxis, isClipped, logTicks, placeOnAxis, upperOutlierFence } from './chartAxes';

describe('logTicks', () => {
  it('spans the values with 1-2-5 ticks whose ends bracket them', () => {
    expect(logTicks(0.03, 0.8)).toEqual([0.02, 0.05, 0.1, 0.2, 0.5, 1]);
  });

  it('uses finer steps on a span under a decade', () => {
    const ticks = logTicks(0.031, 0.06);
    expect(logTicks(0.031, 0.06)).not.toEqual([0.02, 0.05, 0.1]);
    expect(ticks[0]).toBeLessThanOrEqual(0.031);
    expect(ticks[ticks.length - 1]).toBeGreaterThanOrEqual(0.06);
    expect(ticks).toEqual([0.03, 0.05, 0.07]);
  });

  it('keeps the powers of ten only over many decades', () => {
    expect(logTicks(0.0013, 40)).toEqual([0.001, 0.01, 0.1, 1, 10, 50]);
  });

  it('is empty for non-positive values', () => {
    expect(logTicks(0, 1)).toEqual([]);
    expect(logTicks(-1, 1)).toEqual([]);
  });
});

describe('upperOutlierFence', () => {
  const cluster = [0.05, 0.06, 0.07, 0.08, 0.09, 0.1, 0.11, 0.12, 0.13, 0.14];

  it('finds a far-out value on the log scale', () => {
    const fence = upperOutlierFence([...cluster, 40]);
    expect(fence).not.toBeNull();
    expect(fence).toBeGreaterThan(0.14);
    expect(fence).toBeLessThan(40);
  });

  it('calls nothing an outlier in a multiplicative spread without a gap (1- to 8-GPU layouts)', () => {
    const geometric = Array.from({ length: 16 }, (_, i) => 0.05 * 1.25 ** i);
    expect(upperOutlierFence(geometric)).toBeNull();
  });

  it('needs enough points', () => {
    expect(upperOutlierFence([0.1, 0.1, 50])).toBeNull();
  });
});

describe('costAxis', () => {
  const values = [0.05, 0.06, 0.07, 0.08, 0.09, 0.1, 0.11, 0.12, 0.13, 0.14, 40];

  it('clips at the fence: the outlier sits at the right end, marked', () => {
    const axis = costAxis(values, true);
    expect(axis.domain[1]).toBeLessThan(1);
    expect(axis.clipAboveValue).toBe(axis.domain[1]);
    expect(isClipped(40, axis)).toBe(true);
    expect(placeOnAxis(40, axis)).toBe(axis.domain[1]);
    expect(isClipped(0.14, axis)).toBe(false);
    expect(placeOnAxis(0.14, axis)).toBe(0.14);
  });

  it('shows every value when not clipping', () => {
    const axis = costAxis(values, false);
    expect(axis.clipAboveValue).toBeNull();
    expect(axis.domain[0]).toBeLessThanOrEqual(0.05);
    expect(axis.domain[1]).toBeGreaterThanOrEqual(40);
    expect(placeOnAxis(40, axis)).toBe(40);
  });

  it('ignores non-positive costs and has a placeholder when nothing is left', () => {
    expect(costAxis([0, -1], true).ticks.length).toBeGreaterThan(0);
    expect(costAxis([0, 0.1, 0.2], true).domain[0]).toBeGreaterThan(0);
  });
});
