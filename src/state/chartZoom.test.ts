import { describe, expect, it } from 'vitest';
import { dragRect, inZoom, MIN_DRAG_PX, zoomBetween, zoomedCostAxis } from './chartZoom';

const plot = { left: 50, top: 20, right: 650, bottom: 320 };

describe('drag-to-zoom', () => {
  it('dragRect: a drag shorter than MIN_DRAG_PX both ways is a click, not a zoom', () => {
    expect(dragRect({ x: 100, y: 100 }, { x: 100 + MIN_DRAG_PX - 1, y: 100 - (MIN_DRAG_PX - 1) }, plot)).toBeNull();
  });

  it('dragRect: either drag direction, clamped to the plot; a flat drag zooms cost only', () => {
    expect(dragRect({ x: 400, y: 300 }, { x: 100, y: 50 }, plot)).toEqual({ left: 100, right: 400, top: 50, bottom: 300 });
    expect(dragRect({ x: 10, y: 0 }, { x: 700, y: 400 }, plot)).toEqual(plot);
    expect(dragRect({ x: 100, y: 150 }, { x: 300, y: 152 }, plot)).toEqual({ left: 100, right: 300, top: plot.top, bottom: plot.bottom });
    expect(dragRect({ x: 100, y: 50 }, { x: 101, y: 250 }, plot)).toEqual({ left: plot.left, right: plot.right, top: 50, bottom: 250 });
  });

  it('zoomBetween orders the corners and refuses a range without width or a non-positive cost', () => {
    expect(zoomBetween({ cost: 0.5, latencyMs: 10 }, { cost: 0.1, latencyMs: 40 })).toEqual({ costMin: 0.1, costMax: 0.5, latencyMinMs: 10, latencyMaxMs: 40 });
    expect(zoomBetween({ cost: 0.1, latencyMs: 10 }, { cost: 0.1, latencyMs: 40 })).toBeNull();
    expect(zoomBetween({ cost: 0, latencyMs: 10 }, { cost: 0.1, latencyMs: 40 })).toBeNull();
    expect(zoomBetween({ cost: Number.NaN, latencyMs: 10 }, { cost: 0.1, latencyMs: 40 })).toBeNull();
  });

  it('the zoomed cost axis is exactly the selected range, with the nice ticks inside it', () => {
    const axis = zoomedCostAxis({ costMin: 0.13, costMax: 0.9, latencyMinMs: 0, latencyMaxMs: 1 });
    expect(axis.domain).toEqual([0.13, 0.9]);
    expect(axis.clipAboveValue).toBeNull();
    expect(axis.ticks.length).toBeGreaterThanOrEqual(2);
    for (const t of axis.ticks) expect(t >= 0.13 && t <= 0.9, String(t)).toBe(true);
    // A range too narrow for two nice ticks is labelled at its ends.
    expect(zoomedCostAxis({ costMin: 0.101, costMax: 0.104, latencyMinMs: 0, latencyMaxMs: 1 }).ticks).toEqual([0.101, 0.104]);
  });

  it('inZoom keeps points in both ranges, ends included', () => {
    const zoom = { costMin: 0.1, costMax: 0.5, latencyMinMs: 10, latencyMaxMs: 40 };
    expect(inZoom(0.1, 40, zoom)).toBe(true);
    expect(inZoom(0.6, 20, zoom)).toBe(false);
    expect(inZoom(0.2, 41, zoom)).toBe(false);
  });
});
