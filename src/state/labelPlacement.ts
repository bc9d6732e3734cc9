/**
 * Where the latency-vs-cost chart writes its pick labels ("Cheapest in SLO", "Lowest latency", …) so
 * they do not cover nearby points or each other (issue 14). A small deterministic rule: labels are
 * placed one at a time in the order given (the verdict's pick first); each tries the positions of
 * LABEL_POSITIONS around its point, then the same positions one and two lines further out
 * (MAX_LABEL_LEVEL: picks sharing a point stack their labels), and takes the one with the lowest
 * penalty (leaving the plot ≫ covering an earlier label ≫ covering a point), the nearer and earlier
 * position on a tie. Same input, same output. Everything is in the chart's pixels (x right, y down).
 *
 * Text width is estimated from the character count (APPROX_CHAR_WIDTH_PX), not measured: the SVG is
 * not laid out when this runs, and an estimate a little wide only makes the rule more careful.
 */
import type { PixelRect } from './chartZoom';

export const LABEL_POSITIONS = ['right', 'left', 'above', 'below', 'above-right', 'below-right', 'above-left', 'below-left'] as const;
export type LabelPosition = (typeof LABEL_POSITIONS)[number];

/**
 * Advance of an 11 px semibold sans-serif character, on the wide side: Chromium lays the pick labels out
 * at 6.5–7.05 px per character ("Recommended · Cheapest in SLO" 204 px for 29 characters, measured in
 * the e2e build); at the former 6.2 px that label and "Most tok/s" overlapped by 6 px (e2e chart-select).
 */
export const APPROX_CHAR_WIDTH_PX = 7.1;
/** Height of one 11 px line of label text. */
export const LABEL_HEIGHT_PX = 14;
/** Room between the pick's ring (radius PICK_RING_RADIUS_PX) and its label. */
export const LABEL_GAP_PX = 3;
/** Radius of the ring drawn round a pick (LatencyCostChart's ReferenceDot r). */
export const PICK_RING_RADIUS_PX = 6;
/** Lines a label may move further out than its first place (0 = next to its ring). */
export const MAX_LABEL_LEVEL = 2;
/** Half the side of the square a plotted point covers (recharts' default symbol is ~8 px across). */
export const POINT_HALF_SIZE_PX = 4;

/** Penalties: a label leaving the plot is worse than covering another label, which is worse than covering points. */
const OUTSIDE_PLOT_PENALTY = 10_000;
const LABEL_OVERLAP_PENALTY = 100;
const POINT_OVERLAP_PENALTY = 1;

export interface LabelRequest {
  /** Returned with its placement (the pick's row index). */
  id: number;
  text: string;
  /** The pick's point, px. */
  x: number;
  y: number;
}

export interface PlacedLabel {
  id: number;
  text: string;
  position: LabelPosition;
  /** How many lines further out than next to its ring (0..MAX_LABEL_LEVEL). */
  level: number;
  /** The label's box. */
  box: PixelRect;
  /** Where its text is drawn: starting at `textX`, vertically centred on `textY` (SVG dominant-baseline central). */
  textX: number;
  textY: number;
}

/** The box of a label at a position, `level` lines further out: up for the positions above, down for the others. */
function labelBox(request: LabelRequest, position: LabelPosition, level: number): PixelRect {
  const width = request.text.length * APPROX_CHAR_WIDTH_PX;
  const reach = PICK_RING_RADIUS_PX + LABEL_GAP_PX;
  const x = request.x;
  const y = request.y + (position.startsWith('above') ? -1 : 1) * level * LABEL_HEIGHT_PX;
  const horizontal = { right: x + reach, left: x - reach - width, centre: x - width / 2, rightOfCentre: x, leftOfCentre: x - width };
  const vertical = { middle: y - LABEL_HEIGHT_PX / 2, above: y - reach - LABEL_HEIGHT_PX, below: y + reach };
  const [left, top] = (
    {
      right: [horizontal.right, vertical.middle],
      left: [horizontal.left, vertical.middle],
      above: [horizontal.centre, vertical.above],
      below: [horizontal.centre, vertical.below],
      'above-right': [horizontal.rightOfCentre, vertical.above],
      'below-right': [horizontal.rightOfCentre, vertical.below],
      'above-left': [horizontal.leftOfCentre, vertical.above],
      'below-left': [horizontal.leftOfCentre, vertical.below],
    } as const satisfies Record<LabelPosition, readonly [number, number]>
  )[position];
  return { left, top, right: left + width, bottom: top + LABEL_HEIGHT_PX };
}

/** True when two boxes share some area (touching edges do not count). */
export function boxesOverlap(a: PixelRect, b: PixelRect): boolean {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}

function inside(box: PixelRect, plot: PixelRect): boolean {
  return box.left >= plot.left && box.right <= plot.right && box.top >= plot.top && box.bottom <= plot.bottom;
}

/**
 * Places each label (in order) at its least-penalised position. `points` are every plotted point
 * (px); labels whose point lies outside the plot (zoomed away) are left out.
 */
export function placeLabels(labels: readonly LabelRequest[], points: readonly { x: number; y: number }[], plot: PixelRect): PlacedLabel[] {
  const pointBoxes = points.map((p) => ({
    left: p.x - POINT_HALF_SIZE_PX,
    right: p.x + POINT_HALF_SIZE_PX,
    top: p.y - POINT_HALF_SIZE_PX,
    bottom: p.y + POINT_HALF_SIZE_PX,
  }));
  const placed: PlacedLabel[] = [];
  for (const request of labels) {
    if (request.x < plot.left || request.x > plot.right || request.y < plot.top || request.y > plot.bottom) continue;
    let best: { position: LabelPosition; level: number; box: PixelRect; penalty: number } | null = null;
    for (let level = 0; level <= MAX_LABEL_LEVEL; level += 1) {
      for (const position of LABEL_POSITIONS) {
        const box = labelBox(request, position, level);
        let penalty = inside(box, plot) ? 0 : OUTSIDE_PLOT_PENALTY;
        for (const other of placed) if (boxesOverlap(box, other.box)) penalty += LABEL_OVERLAP_PENALTY;
        for (const point of pointBoxes) if (boxesOverlap(box, point)) penalty += POINT_OVERLAP_PENALTY;
        if (best === null || penalty < best.penalty) best = { position, level, box, penalty };
      }
    }
    if (best !== null) {
      const { position, level, box } = best;
      placed.push({ id: request.id, text: request.text, position, level, box, textX: box.left, textY: box.top + LABEL_HEIGHT_PX / 2 });
    }
  }
  return placed;
}
