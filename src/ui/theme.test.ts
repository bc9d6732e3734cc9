/**
 * The charts' colours stay apart in both themes (issue 14: two memory-bar segments were near-identical
 * oranges; "misses SLO" and "measured" were near-identical reds in the dark theme). Reads theme.css.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const css = readFileSync(new URL('./theme.css', import.meta.url), 'utf8');

/** The `--name: #rrggbb` variables of one theme block. */
function themeColors(selector: RegExp): Map<string, string> {
  const block = css.split('}').find((b) => selector.test(b)) ?? '';
  return new Map([...block.matchAll(/--([a-z0-9-]+):\s*(#[0-9a-f]{6})\b/gi)].map((m) => [m[1] ?? '', m[2] ?? '']));
}

/** CIE L*a*b* of an sRGB hex colour (D65), for ΔE*ab distances. */
function lab(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1), 16);
  const [r, g, b] = [(n >> 16) & 255, (n >> 8) & 255, n & 255].map((v) => {
    const c = v / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  const x = (r * 0.4124 + g * 0.3576 + b * 0.1805) / 0.95047;
  const y = r * 0.2126 + g * 0.7152 + b * 0.0722;
  const z = (r * 0.0193 + g * 0.1192 + b * 0.9505) / 1.08883;
  const f = (t: number): number => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116);
  return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
}

function deltaE(a: string, b: string): number {
  const [l1, a1, b1] = lab(a);
  const [l2, a2, b2] = lab(b);
  return Math.hypot(l1 - l2, a1 - a2, b1 - b2);
}

/**
 * ΔE*ab ≈ 2.3 is a just-noticeable difference; small chart marks (4 px points, thin bar segments)
 * need far more to be told apart at a glance: 25 keeps every pair in a different hue or lightness.
 * The old pairs this rejects: #c2410c / #b45309 (13.8), #fb7185 / #f87171 (10.5).
 */
const MIN_DELTA_E = 25;

/** Colours drawn side by side: the concurrency chart's series and the memory bar's segments; the latency-vs-cost chart's marks. */
const GROUPS = {
  series: ['series-1', 'series-2', 'series-3', 'series-4', 'series-5', 'series-6'],
  latencyCost: ['ok', 'bad', 'accent', 'warn', 'measured'],
} as const;

describe.each([
  ['light', /:root\[data-theme='light'\]/],
  ['dark', /:root\[data-theme='dark'\]/],
])('%s theme', (_name, selector) => {
  const colors = themeColors(selector);
  for (const [group, names] of Object.entries(GROUPS)) {
    it(`keeps the ${group} colours at least ΔE ${MIN_DELTA_E} apart`, () => {
      for (const name of names) expect(colors.get(name), name).toMatch(/^#/);
      const close: string[] = [];
      names.forEach((a, i) => {
        for (const b of names.slice(i + 1)) {
          const d = deltaE(colors.get(a) ?? '', colors.get(b) ?? '');
          if (d < MIN_DELTA_E) close.push(`${a} ${colors.get(a)} / ${b} ${colors.get(b)}: ${d.toFixed(1)}`);
        }
      });
      expect(close).toEqual([]);
    });
  }
});
