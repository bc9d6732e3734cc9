// @vitest-environment jsdom
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Candidate, RecommendResult } from '../../engine/types';
import LatencyCostChart from './LatencyCostChart';
import { makeResult } from './testData';

/** Recharts measures its container; jsdom has no layout, so a stub that reports a fixed size. */
class ResizeObserverStub {
  constructor(private readonly callback: ResizeObserverCallback) {}
  observe(target: Element): void {
    const entry = { target, contentRect: { width: 600, height: 340 } };
    this.callback([entry as unknown as ResizeObserverEntry], this as unknown as ResizeObserver);
  }
  unobserve(): void {}
  disconnect(): void {}
}

beforeAll(() => vi.stubGlobal('ResizeObserver', ResizeObserverStub));
afterAll(() => vi.unstubAllGlobals());
afterEach(cleanup);

const result = makeResult();
const rows = result.candidates.map((candidate, index) => ({ index, candidate }));

/** The test result plus one configuration far beyond the rest in cost (an outlier). */
function withOutlier(): RecommendResult {
  const template = result.candidates[0] as Candidate;
  const extra = Array.from({ length: 6 }, (_, i) => ({
    ...template,
    gpuId: 'l40s',
    gpuCount: 1 + i,
    perf: template.perf === null ? null : { ...template.perf, itlMs: 30 + i, usdPerMillionOutputTokens: 0.6 + i / 50 },
  }));
  const outlier = { ...template, gpuId: 'v100', perf: template.perf === null ? null : { ...template.perf, itlMs: 90, usdPerMillionOutputTokens: 60 } };
  return { ...result, candidates: [...result.candidates, ...extra, outlier] };
}

describe('LatencyCostChart', () => {
  it('names both axes with their units outside the plot and labels the picks', async () => {
    const { container } = render(<LatencyCostChart result={result} rows={rows} selectedIndex={null} onSelect={() => {}} measured={[]} />);
    expect(screen.getByText('ITL (ms)')).toBeTruthy();
    expect(screen.getByText('Cost: $ per million output tokens (USD, log scale)')).toBeTruthy();
    // The axis titles are HTML around the SVG: none is an SVG text that could overlap the ticks.
    expect(container.querySelector('svg')?.textContent ?? '').not.toMatch(/\(ms\)|log scale/);
    const svg = within(container.querySelector('.recharts-wrapper') as HTMLElement);
    expect(await svg.findByText('Cheapest in SLO')).toBeTruthy();
    expect(svg.getByText('Lowest latency')).toBeTruthy();
    expect(svg.getByText('Most tok/s')).toBeTruthy();
  });

  it('gives the axis titles and the labelled picks a "?" that says what they mean', async () => {
    render(<LatencyCostChart result={result} rows={rows} selectedIndex={null} onSelect={() => {}} measured={[]} />);
    const user = userEvent.setup();
    for (const name of ['ITL axis', 'Cost axis', 'Cheapest in SLO', 'Lowest latency', 'Most tok/s', 'Pareto frontier']) {
      expect(screen.getByRole('button', { name: `What is ${name}?` })).toBeTruthy();
    }
    await user.click(screen.getByRole('button', { name: 'What is Cost axis?' }));
    expect(screen.getByRole('note', { name: 'About Cost axis' }).textContent).toMatch(/dollars per million output tokens.*Log scale/);
    // The E2E view names its own axis.
    await user.click(screen.getByRole('button', { name: 'E2E latency' }));
    expect(screen.getByRole('button', { name: 'What is E2E latency axis?' })).toBeTruthy();
  });

  it('zooms to a dragged rectangle, says so, and "Reset zoom" shows every point again', async () => {
    const { container } = render(<LatencyCostChart result={result} rows={rows} selectedIndex={null} onSelect={() => {}} measured={[]} />);
    await within(container.querySelector('.recharts-wrapper') as HTMLElement).findByText('Lowest latency');
    const before = container.querySelectorAll('.recharts-scatter .recharts-symbols').length;
    const capture = screen.getByTestId('zoom-capture');
    const x = Number(capture.getAttribute('x'));
    const y = Number(capture.getAttribute('y'));
    const width = Number(capture.getAttribute('width'));
    const height = Number(capture.getAttribute('height'));
    expect(width).toBeGreaterThan(100);
    // A click (no movement) is not a zoom.
    fireEvent.mouseDown(capture, { button: 0, clientX: x + 10, clientY: y + 10 });
    fireEvent.mouseUp(window, { clientX: x + 12, clientY: y + 11 });
    expect(screen.queryByRole('button', { name: 'Reset zoom' })).toBeNull();
    // Drag over the left half of the plot, top to bottom: the selection shows while the mouse moves.
    fireEvent.mouseDown(capture, { button: 0, clientX: x + 1, clientY: y + 1 });
    fireEvent.mouseMove(window, { clientX: x + width / 2, clientY: y + height - 1 });
    expect(container.querySelector('.zoom-selection')).not.toBeNull();
    fireEvent.mouseUp(window, { clientX: x + width / 2, clientY: y + height - 1 });
    expect(container.querySelector('.zoom-selection')).toBeNull();
    expect(screen.getByTestId('zoom-note').textContent).toMatch(/^Zoomed to \$[\d.]+–\$[\d.]+ per million output tokens and ITL/);
    const after = container.querySelectorAll('.recharts-scatter .recharts-symbols').length;
    expect(after).toBeLessThan(before);
    expect(screen.getByRole('button', { name: 'Clip outliers' }).getAttribute('aria-pressed')).toBe('false');
    await userEvent.setup().click(screen.getByRole('button', { name: 'Reset zoom' }));
    expect(screen.queryByTestId('zoom-note')).toBeNull();
    expect(container.querySelectorAll('.recharts-scatter .recharts-symbols').length).toBe(before);
  });

  it('selects the row of a clicked point', async () => {
    const onSelect = vi.fn();
    const { container } = render(<LatencyCostChart result={result} rows={rows} selectedIndex={null} onSelect={onSelect} measured={[]} />);
    await within(container.querySelector('.recharts-wrapper') as HTMLElement).findByText('Lowest latency');
    const misses = container.querySelectorAll('.recharts-scatter .recharts-symbols');
    expect(misses.length).toBeGreaterThan(0);
    // Every drawn point selects a configuration's row (its index in the result).
    const selected = new Set<number>();
    for (const symbol of misses) {
      fireEvent.click(symbol);
      const last = onSelect.mock.lastCall?.[0] as number | undefined;
      if (last !== undefined) selected.add(last);
    }
    expect([...selected].sort()).toEqual([0, 1, 2, 4, 5]);
  });

  it('clips a far-out cost to the edge with a note, and "Show all" widens the axis', async () => {
    const big = withOutlier();
    const bigRows = big.candidates.map((candidate, index) => ({ index, candidate }));
    render(<LatencyCostChart result={big} rows={bigRows} selectedIndex={null} onSelect={() => {}} measured={[]} />);
    expect(screen.getByText(/1 configuration costs more than \$.* per million output tokens, far beyond the rest/)).toBeTruthy();
    await userEvent.setup().click(screen.getByRole('button', { name: 'Show all' }));
    expect(screen.queryByText(/far beyond the rest/)).toBeNull();
    expect(screen.getByRole('button', { name: 'Show all' }).getAttribute('aria-pressed')).toBe('true');
  });
});
