// @vitest-environment jsdom
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import ResultsView from './ResultsView';
import RowDetail from './RowDetail';
import type { ResultsViewProps } from './contract';
import { makeArch, makeMeasurements, makeRequest, makeResult } from './testData';

/** Recharts measures its container; jsdom has no layout, so a stub that reports a fixed size. */
class ResizeObserverStub {
  constructor(private readonly callback: ResizeObserverCallback) {}
  observe(target: Element): void {
    const entry = { target, contentRect: { width: 600, height: 300 } };
    // Partial entry: recharts reads only contentRect.
    this.callback([entry as unknown as ResizeObserverEntry], this as unknown as ResizeObserver);
  }
  unobserve(): void {}
  disconnect(): void {}
}

beforeAll(() => {
  vi.stubGlobal('ResizeObserver', ResizeObserverStub);
});
afterAll(() => {
  vi.unstubAllGlobals();
});
afterEach(cleanup);

function props(overrides: Partial<ResultsViewProps> = {}): ResultsViewProps {
  return {
    arch: makeArch(),
    request: makeRequest(),
    result: makeResult(),
    sort: { column: 'costPerMTokens', descending: false },
    onSortChange: () => {},
    filters: { fitsOnly: false, meetsSloOnly: false },
    onFiltersChange: () => {},
    selectedIndex: null,
    onSelect: () => {},
    compareIndices: [],
    onCompareChange: () => {},
    ...overrides,
  };
}

describe('ResultsView', () => {
  it('shows the summary, the table, the lazy charts and the replica trade-off', async () => {
    render(<ResultsView {...props()} />);
    expect(screen.getByText(/8 configurations for meta-llama\/Llama-3.1-8B: 7 fit, 6 meet the SLO/)).toBeTruthy();
    // Compact view by default: one row per GPU type × count (5) plus the lowest-latency pick (h100 TP8).
    expect(screen.getByRole('table', { name: /Configurations: 6 of 8 shown/ })).toBeTruthy();
    expect(await screen.findByText('ITL against cost per million output tokens', {}, { timeout: 10_000 })).toBeTruthy();
    // The concurrency chart is its own lazy chunk, loaded beside the latency chart.
    expect(await screen.findByText(/Tick “Compare” on one or more fitting rows/, {}, { timeout: 10_000 })).toBeTruthy();
    const tradeoff = screen.getByRole('region', { name: 'Replicas or tensor parallelism, same GPUs' });
    const layouts = within(tradeoff)
      .getAllByRole('rowheader')
      .map((h) => h.textContent);
    expect(layouts).toEqual(['TP8', 'DP2 · TP4', 'DP4 · TP2', 'DP8 · TP1']);
    expect(await within(tradeoff).findByText('Aggregate output throughput, all replicas', {}, { timeout: 10_000 })).toBeTruthy();
    expect(within(tradeoff).getByText('Per-user inter-token latency')).toBeTruthy();
  }, 30_000); // the first lazy import of recharts is slow under jsdom

  it('lists every layout when "Best layout only" is unticked', async () => {
    render(<ResultsView {...props()} />);
    expect(screen.getByText(/6 of 6 rows \(best layout per GPU type and count, replica copies folded; of 8 configurations\)/)).toBeTruthy();
    expect(screen.getByText(/\+2 more/)).toBeTruthy();
    await userEvent.setup().click(screen.getByRole('checkbox', { name: 'Best layout only' }));
    expect(screen.getByRole('table', { name: /Configurations: 8 of 8 shown/ })).toBeTruthy();
    expect(screen.getByText(/8 of 8 configurations/)).toBeTruthy();
  });

  it('shows the best picks as cards that select their row', async () => {
    const onSelect = vi.fn();
    render(<ResultsView {...props({ onSelect })} />);
    const picks = screen.getByRole('list', { name: 'Best picks' });
    expect(within(picks).getAllByRole('listitem')).toHaveLength(3);
    await userEvent.setup().click(within(picks).getByRole('button', { name: 'Lowest latency: 8× h100 TP8, show details' }));
    expect(onSelect).toHaveBeenLastCalledWith(4);
  });

  it('shows the engine warnings above the table', () => {
    const result = { ...makeResult(), warnings: [{ kind: 'invalid-request' as const, error: { kind: 'invalid-request' as const, field: 'inputTokens', value: -1, reason: 'negative' }, message: 'Input tokens must be positive.' }] };
    render(<ResultsView {...props({ result })} />);
    expect(screen.getByText('Input tokens must be positive.')).toBeTruthy();
  });

  it('states the error band when the engine provides one', () => {
    render(<ResultsView {...props({ errorBand: { ttftPct: 25, itlPct: 12, throughputPct: 15 } })} />);
    expect(screen.getByText(/TTFT ±25.0 %, ITL ±12.0 %, throughput ±15.0 % against published measurements/)).toBeTruthy();
  });

  it('states the held-out error next to the in-sample one when known', () => {
    const heldOut = { ttftPct: 31, itlPct: 35, throughputPct: 20 };
    render(<ResultsView {...props({ errorBand: { ttftPct: 25, itlPct: 12, throughputPct: 15, heldOut } })} />);
    expect(screen.getByText(/on a setup the calibration was not fitted on \(each benchmark source held out in turn\), TTFT ±31.0 %, ITL ±35.0 %, throughput ±20.0 %/)).toBeTruthy();
  });

  it('renders the concurrency chart for ticked rows', async () => {
    render(<ResultsView {...props({ compareIndices: [0, 2] })} />);
    expect(await screen.findByText('Output throughput', {}, { timeout: 10_000 })).toBeTruthy();
    expect(screen.getByText('Inter-token latency')).toBeTruthy();
    // Its axis titles carry their terms' "?" (issue 14).
    const chart = screen.getByText('Throughput and latency against concurrency').closest('figure') as HTMLElement;
    for (const term of ['Output tok/s', 'ITL', 'Requests in flight']) expect(within(chart).getAllByRole('button', { name: `What is ${term}?` }).length).toBeGreaterThan(0);
  }, 30_000);

  it('shows the selected row in detail with launch commands', async () => {
    render(<ResultsView {...props({ selectedIndex: 2 })} />);
    const detail = screen.getByRole('region', { name: 'Details of 2× h100 TP2' });
    expect(within(detail).getByText(/vllm serve meta-llama\/Llama-3.1-8B/)).toBeTruthy();
    expect(within(detail).getByText(/python -m sglang.launch_server/)).toBeTruthy();
    expect(within(detail).getByText(/kind: Deployment/)).toBeTruthy();
    // A copy button per variant.
    for (const variant of ['vLLM', 'SGLang', 'Docker (vLLM CUDA image)', 'Kubernetes (Deployment + Service)']) {
      expect(within(detail).getByRole('button', { name: `Copy ${variant} command` })).toBeTruthy();
    }
    expect(await within(detail).findByText(/Memory per GPU: 80.0 GiB \(85.9 GB\)/, {}, { timeout: 10_000 })).toBeTruthy();
  }, 30_000);

  it('"Copy link" copies the page\'s current address (the share link with inputs, sort and selected row)', async () => {
    const user = userEvent.setup();
    const writeText = vi.spyOn(navigator.clipboard, 'writeText').mockResolvedValue(undefined);
    const before = window.location.href;
    onTestFinished(() => {
      writeText.mockRestore();
      window.history.replaceState(null, '', before);
    });
    window.history.replaceState(null, '', '/gpu-fit/#v=2&m=meta-llama%2FLlama-3.1-8B&row=3');
    render(<ResultsView {...props()} />);
    await user.click(screen.getByRole('button', { name: 'Copy a link to these results (inputs, sort and selected row)' }));
    expect(writeText).toHaveBeenCalledWith(window.location.href);
    expect(window.location.href).toMatch(/#v=2&m=.*&row=3$/);
  });

  it('downloads the visible rows as CSV', async () => {
    // jsdom has no object URLs and cannot navigate to a download: stub both for this test.
    const createObjectURL = vi.fn((_blob: Blob) => 'blob:test');
    const original = { createObjectURL: URL.createObjectURL, revokeObjectURL: URL.revokeObjectURL };
    URL.createObjectURL = createObjectURL;
    URL.revokeObjectURL = vi.fn();
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    onTestFinished(() => {
      Object.assign(URL, original);
      click.mockRestore();
    });
    render(<ResultsView {...props({ filters: { fitsOnly: true, meetsSloOnly: false } })} />);
    // Fits only, compact view: rows 0, 3, 1, 2 (best layout of each GPU type × count) and 4 (lowest-latency pick).
    await userEvent.setup().click(screen.getByRole('button', { name: 'Download CSV (5 rows)' }));
    const blob = createObjectURL.mock.calls[0]?.[0];
    expect(blob?.type).toBe('text/csv;charset=utf-8');
    const text = await blob?.text();
    expect(text?.split('\r\n')).toHaveLength(7); // header + 5 rows + trailing empty
    expect(text).not.toContain('a100-40gb');
    expect(click).toHaveBeenCalledTimes(1);
  });
});

describe('RowDetail', () => {
  const candidate = makeResult().candidates[0];
  if (candidate === undefined) throw new Error('fixture changed');

  it('lists the memory arithmetic, the bottleneck and the published measurements with sources', () => {
    render(<RowDetail arch={makeArch()} request={makeRequest()} candidate={candidate} measurements={makeMeasurements()} memoryEngineNote="vLLM 0.19 (V1)" />);
    expect(screen.getByText(/Weights on rank 0: 15.00 GiB \(BF16, TP=1/)).toBeTruthy();
    expect(screen.getByText(/^Memory-bandwidth-bound: the decode step/)).toBeTruthy();
    expect(screen.getByText('Follows vLLM 0.19 (V1).')).toBeTruthy();
    const table = screen.getByRole('table');
    expect(within(table).getAllByRole('row')).toHaveLength(5); // header + 4 measurements of this model on h100
    expect(within(table).getAllByText('Test source, table 1').length).toBe(4);
    expect(within(table).getByText('offline (all at once)')).toBeTruthy();
  });

  it('puts a "?" on each "What limits it" line, with the vLLM setting where one helps', async () => {
    const user = userEvent.setup();
    render(<RowDetail arch={makeArch()} request={makeRequest()} candidate={candidate} />);
    for (const term of ['Memory-bandwidth-bound', 'Decode step', 'Prefill', 'Queueing', 'Requests in flight', 'Energy']) {
      expect(screen.getByRole('button', { name: `What is ${term}?` })).toBeTruthy();
    }
    await user.click(screen.getByRole('button', { name: 'What is Requests in flight?' }));
    const note = screen.getByRole('note', { name: 'About Requests in flight' });
    expect(note.textContent).toContain('--max-num-seqs');
  });

  it('copies the vLLM command with navigator.clipboard', async () => {
    const user = userEvent.setup();
    const writeText = vi.spyOn(navigator.clipboard, 'writeText').mockResolvedValue(undefined);
    render(<RowDetail arch={makeArch()} request={makeRequest()} candidate={candidate} />);
    await user.click(screen.getByRole('button', { name: 'Copy vLLM command' }));
    expect(writeText).toHaveBeenCalledWith(expect.stringMatching(/^vllm serve meta-llama\/Llama-3.1-8B \\\n {2}--tensor-parallel-size 1/));
    expect(await screen.findByText('Copied')).toBeTruthy();
  });

  it('says why a configuration does not fit', () => {
    const noFit = makeResult().candidates[7];
    if (noFit === undefined) throw new Error('fixture changed');
    render(<RowDetail arch={makeArch()} request={makeRequest()} candidate={noFit} />);
    expect(screen.getByText(/Does not fit: Weights need 14.96 GiB per GPU/)).toBeTruthy();
    expect(screen.queryByText(/What limits it/)).toBeNull();
  });
});

describe('ResultsView: the verdict names where the pick\'s price comes from', () => {
  it('adds a footnote with the price, its date and its page', () => {
    const base = makeResult();
    const pick = { index: 0, gpuId: 'H100', gpuCount: 1, layout: { tp: 1, pp: 1, dp: 1, ep: false }, concurrency: 32, ttftMs: 120, itlMs: 20, e2eMs: 20580, usdPerMillionOutputTokens: 0.56, outputTokensPerS: 1500, costUsdPerHour: 3.78 };
    const candidates = base.candidates.map((c, i) => (i === 0 ? { ...c, gpuId: 'H100' } : c));
    const result = { ...base, candidates, verdict: { kind: 'pick' as const, pick, reason: 'cheapest-meeting-slo' as const, load: 'sweep' as const, tieBandPct: 10, competitor: null } };
    render(<ResultsView {...props({ result })} />);
    const verdict = screen.getByTestId('verdict');
    expect(within(verdict).getByText(/^Price: \$3\.78 per GPU-hour for H100: on-demand list price, read 2026-05-07/)).toBeTruthy();
    expect(within(verdict).getByRole('link', { name: 'Price page' }).getAttribute('href')).toMatch(/^https:\/\//);
  });
});
