import { describe, expect, it } from 'vitest';
import { boxesOverlap, placeLabels, POINT_HALF_SIZE_PX, type LabelRequest } from './labelPlacement';
import type { PixelRect } from './chartZoom';

const plot: PixelRect = { left: 50, top: 20, right: 650, bottom: 320 };
const label = (id: number, x: number, y: number, text = 'Cheapest in SLO'): LabelRequest => ({ id, text, x, y });
const pointBox = (p: { x: number; y: number }): PixelRect => ({
  left: p.x - POINT_HALF_SIZE_PX,
  right: p.x + POINT_HALF_SIZE_PX,
  top: p.y - POINT_HALF_SIZE_PX,
  bottom: p.y + POINT_HALF_SIZE_PX,
});

describe('placeLabels', () => {
  it('puts a label with room around it right of its point', () => {
    const [placed] = placeLabels([label(1, 200, 150)], [{ x: 200, y: 150 }], plot);
    expect(placed?.position).toBe('right');
    expect(placed?.box.left).toBeGreaterThan(200);
  });

  it('keeps a label inside the plot: a point at the right edge gets its label on the left', () => {
    const [placed] = placeLabels([label(1, 640, 150)], [{ x: 640, y: 150 }], plot);
    expect(placed?.position).toBe('left');
    expect(placed?.box.right).toBeLessThanOrEqual(plot.right);
  });

  it('moves a label off the points crowding its first choice', () => {
    // A column of points right of the pick, where "right" would write over them.
    const crowd = Array.from({ length: 8 }, (_, i) => ({ x: 230 + i * 12, y: 150 }));
    const pick = { x: 200, y: 150 };
    const [placed] = placeLabels([label(1, pick.x, pick.y)], [pick, ...crowd], plot);
    expect(placed?.position).not.toBe('right');
    for (const p of [pick, ...crowd]) expect(boxesOverlap(placed?.box ?? plot, pointBox(p)), JSON.stringify(p)).toBe(false);
  });

  it('gives two picks at nearly the same point labels that do not overlap', () => {
    const points = [
      { x: 300, y: 200 },
      { x: 303, y: 202 },
      { x: 306, y: 199 },
    ];
    const placed = placeLabels(
      [label(1, 300, 200, 'Recommended · Cheapest in SLO'), label(2, 303, 202, 'Lowest latency'), label(3, 306, 199, 'Most tok/s')],
      points,
      plot,
    );
    expect(placed).toHaveLength(3);
    for (let i = 0; i < placed.length; i += 1) {
      for (let j = i + 1; j < placed.length; j += 1) expect(boxesOverlap(placed[i]?.box ?? plot, placed[j]?.box ?? plot), `${i} ${j}`).toBe(false);
    }
  });

  it('stacks the labels of picks on one point in a corner of the plot instead of writing them over each other', () => {
    // Three picks on the same configuration at the plot's top-left corner (jsdom's first render had this).
    const corner = { x: plot.left + 50, y: plot.top };
    const placed = placeLabels([label(1, corner.x, corner.y), label(2, corner.x, corner.y, 'Most tok/s'), label(3, corner.x, corner.y, 'Lowest latency')], [corner], plot);
    expect(placed).toHaveLength(3);
    for (let i = 0; i < placed.length; i += 1) {
      expect(placed[i]?.box.top).toBeGreaterThanOrEqual(plot.top);
      for (let j = i + 1; j < placed.length; j += 1) expect(boxesOverlap(placed[i]?.box ?? plot, placed[j]?.box ?? plot), `${i} ${j}`).toBe(false);
    }
    expect(placed.some((p) => p.level > 0)).toBe(true);
  });

  it('is deterministic and leaves out labels whose point is outside the plot (zoomed away)', () => {
    const labels = [label(1, 120, 60), label(2, 700, 60), label(3, 125, 64, 'Most tok/s')];
    const points = [{ x: 120, y: 60 }, { x: 125, y: 64 }];
    const first = placeLabels(labels, points, plot);
    expect(placeLabels(labels, points, plot)).toEqual(first);
    expect(first.map((p) => p.id)).toEqual([1, 3]);
  });
});
