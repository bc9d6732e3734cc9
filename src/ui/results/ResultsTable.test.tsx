// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import ResultsTable, { rowKeyTarget } from './ResultsTable';
import ResultsFilters from './ResultsFilters';
import type { SortState, TableFilters } from '../../state/tableState';
import { selectVisibleRows } from './tableRows';
import { selectCompactRows } from './compactRows';
import { RESULT_COLUMNS } from '../../state/tableState';
import { COLUMN_INFO, headerWithUnit } from './columns';
import { PLAIN_COLUMNS } from '../glossary';
import { makePerf, makeResult } from './testData';
import type { FixChange, RecommendResult, RowAdvice } from '../../engine/types';

afterEach(cleanup);

const NO_FILTERS: TableFilters = { fitsOnly: false, meetsSloOnly: false };
const BY_COST: SortState = { column: 'costPerMTokens', descending: false };

function renderTable(opts: { onApplyFix?: (fix: FixChange, index: number | null) => void; selectedIndex?: number | null; sort?: SortState; filters?: TableFilters; onSortChange?: (s: SortState) => void; onSelect?: (i: number | null) => void; onCompareChange?: (i: readonly number[]) => void; result?: RecommendResult } = {}) {
  const result = opts.result ?? makeResult();
  const sort = opts.sort ?? BY_COST;
  const rows = selectVisibleRows(result, opts.filters ?? NO_FILTERS, sort);
  return render(
    <ResultsTable
      result={result}
      rows={rows}
      sort={sort}
      onSortChange={opts.onSortChange ?? (() => {})}
      selectedIndex={opts.selectedIndex ?? null}
      onSelect={opts.onSelect ?? (() => {})}
      compareIndices={[]}
      onCompareChange={opts.onCompareChange ?? (() => {})}
      onApplyFix={opts.onApplyFix}
    />,
  );
}

/** Text of the GPU button of each body row, in display order, plus its layout cell. */
function displayedConfigs(): string[] {
  const [, body] = screen.getAllByRole('rowgroup');
  if (body === undefined) throw new Error('no tbody');
  return within(body)
    .getAllByRole('row')
    .map((row) => {
      const cells = within(row).getAllByRole('cell');
      return `${cells[1]?.querySelector('button')?.textContent ?? ''} ${cells[3]?.textContent ?? ''}`;
    });
}

describe('ResultsTable', () => {
  it('keyboard: the rows are one Tab stop; arrows, Home and End move between rows, Enter selects', async () => {
    const onSelect = vi.fn();
    renderTable({ onSelect });
    const [, body] = screen.getAllByRole('rowgroup');
    if (body === undefined) throw new Error('no tbody');
    const rows = within(body).getAllByRole('row');
    expect(rows.length).toBeGreaterThan(2);
    expect(rows.filter((r) => r.tabIndex === 0)).toEqual([rows[0]]);
    const user = userEvent.setup();
    rows[0]?.focus();
    await user.keyboard('{ArrowDown}');
    expect(document.activeElement).toBe(rows[1]);
    expect(rows[1]?.tabIndex).toBe(0);
    expect(rows[0]?.tabIndex).toBe(-1);
    await user.keyboard('{End}');
    expect(document.activeElement).toBe(rows.at(-1));
    await user.keyboard('{ArrowDown}');
    expect(document.activeElement).toBe(rows.at(-1));
    await user.keyboard('{Home}');
    expect(document.activeElement).toBe(rows[0]);
    await user.keyboard('{ArrowDown}{Enter}');
    expect(onSelect).toHaveBeenCalledTimes(1);
    expect(onSelect).toHaveBeenCalledWith(Number(rows[1]?.dataset.rowIndex));
  });

  it('rowKeyTarget keeps the move inside the rows and ignores other keys', () => {
    expect(rowKeyTarget('ArrowDown', 0, 3)).toBe(1);
    expect(rowKeyTarget('ArrowDown', 2, 3)).toBe(2);
    expect(rowKeyTarget('ArrowUp', 0, 3)).toBe(0);
    expect(rowKeyTarget('End', 0, 3)).toBe(2);
    expect(rowKeyTarget('Home', 2, 3)).toBe(0);
    expect(rowKeyTarget('a', 1, 3)).toBeNull();
  });

  it('renders a real <table> with <th> column headers that carry aria-sort', () => {
    renderTable();
    expect(screen.getByRole('table')).toBeTruthy();
    const headers = screen.getAllByRole('columnheader');
    expect(headers.length).toBe(1 + RESULT_COLUMNS.length); // compare + the result columns
    const costHeader = headers.find((h) => h.textContent?.includes('$/M output tokens'));
    expect(costHeader?.tagName).toBe('TH');
    expect(costHeader?.getAttribute('aria-sort')).toBe('ascending');
    const ttftHeader = headers.find((h) => h.textContent?.startsWith('TTFT'));
    expect(ttftHeader?.getAttribute('aria-sort')).toBe('none');
  });

  it('puts a "What is …?" popover beside every header that names a term, apart from the sort button', async () => {
    const user = userEvent.setup();
    const onSortChange = vi.fn();
    renderTable({ onSortChange });
    for (const id of RESULT_COLUMNS) {
      const sortButton = screen.getByRole('button', { name: headerWithUnit(id) });
      const header = sortButton.closest('th');
      if (header === null) throw new Error(`no header for ${id}`);
      const termButton = within(header).queryByRole('button', { name: `What is ${COLUMN_INFO[id].label}?` });
      const hasDescription = COLUMN_INFO[id].description !== '';
      expect(termButton !== null, id).toBe(hasDescription && !(PLAIN_COLUMNS as readonly string[]).includes(id));
      expect(header.getAttribute('title')).toBe(COLUMN_INFO[id].description); // the mouse keeps its hover
    }
    const ttftHeader = screen.getByRole('button', { name: 'TTFT (ms)' }).closest('th');
    if (ttftHeader === null) throw new Error('no TTFT header');
    await user.click(within(ttftHeader).getByRole('button', { name: 'What is TTFT?' }));
    expect(within(ttftHeader).getByRole('note', { name: 'About TTFT' }).textContent).toContain(COLUMN_INFO.ttft.description);
    expect(onSortChange).not.toHaveBeenCalled(); // the popover does not sort
    await user.click(screen.getByRole('button', { name: 'TTFT (ms)' }));
    expect(onSortChange).toHaveBeenCalledTimes(1);
    expect(within(ttftHeader).queryByRole('note')).toBeNull(); // a press elsewhere closed it
  });

  it('states GiB in every memory header and cell', () => {
    renderTable();
    expect(screen.getByRole('button', { name: /Weights \/ GPU \(GiB\)/ })).toBeTruthy();
    expect(screen.getByRole('button', { name: /KV pool \/ GPU \(GiB\)/ })).toBeTruthy();
    expect(screen.getAllByText('15.0 GiB').length).toBeGreaterThan(0);
    expect(screen.getAllByText('54.8 GiB')[0]?.getAttribute('title')).toContain('KV pool: 72.00 GiB − 15.00 GiB');
  });

  it('calls onSortChange when a header is clicked or activated from the keyboard', async () => {
    const onSortChange = vi.fn();
    renderTable({ onSortChange });
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: /^ITL/ }));
    expect(onSortChange).toHaveBeenLastCalledWith({ column: 'itl', descending: false });
    await user.click(screen.getByRole('button', { name: /^\$\/M output tokens/ }));
    expect(onSortChange).toHaveBeenLastCalledWith({ column: 'costPerMTokens', descending: true });
    screen.getByRole('button', { name: /^Output tok\/s/ }).focus();
    await user.keyboard('{Enter}');
    expect(onSortChange).toHaveBeenLastCalledWith({ column: 'outputTokensPerS', descending: true });
  });

  it('shows rows in the order props.sort asks for, with non-fitting rows last', () => {
    renderTable({ sort: { column: 'itl', descending: false } });
    expect(displayedConfigs()).toEqual([
      'h100 TP8',
      'h100 DP2 · TP4',
      'h100 TP2',
      'h100 DP4 · TP2',
      'h200 TP1',
      'h100 TP1',
      'h100 DP8 · TP1',
      'a100-40gb TP1',
    ]);
    cleanup();
    renderTable({ sort: { column: 'outputTokensPerS', descending: true } });
    const order = displayedConfigs();
    expect(order[0]).toBe('h100 DP8 · TP1');
    expect(order.at(-1)).toBe('a100-40gb TP1');
    expect(screen.getAllByRole('columnheader').find((h) => h.textContent?.startsWith('Output tok/s'))?.getAttribute('aria-sort')).toBe('descending');
  });

  it('hides non-fitting rows under "fits only"', () => {
    renderTable({ filters: { ...NO_FILTERS, fitsOnly: true } });
    expect(screen.queryByRole('button', { name: 'a100-40gb' })).toBeNull();
    expect(screen.getByText('Configurations: 7 of 8 shown')).toBeTruthy();
  });

  it('marks the best picks with badges', () => {
    renderTable();
    expect(screen.getAllByText('Cheapest meeting SLO')).toHaveLength(1);
    expect(screen.getAllByText('Lowest latency')).toHaveLength(1);
    expect(screen.getAllByText('Highest throughput')).toHaveLength(1);
    const cheapestRow = screen.getByText('Cheapest meeting SLO').closest('tr');
    expect(within(cheapestRow as HTMLElement).getByRole('button', { name: 'h100' })).toBeTruthy();
  });

  it('shows "engine error" in the figure cells of an estimate with a perfError, and names the field on hover', () => {
    const base = makeResult();
    const candidates = base.candidates.map((c, i) =>
      i === 1 && c.perf !== null
        ? { ...c, perf: makePerf({ ttftMs: Number.NaN, perfError: { kind: 'invalid-figure', field: 'ttftMs', reason: 'not-a-number', value: Number.NaN } }) }
        : c,
    );
    renderTable({ result: { ...base, candidates } });
    const row = screen.getByRole('button', { name: 'h200' }).closest('tr');
    if (row === null) throw new Error('no h200 row');
    const errors = within(row).getAllByText('engine error');
    expect(errors.length).toBeGreaterThanOrEqual(5);
    expect(errors[0]?.getAttribute('title')).toMatch(/ttftMs is not a number/);
    expect(within(row).queryByText('$0.000')).toBeNull();
  });

  it('a failing row shows its best figure with the failing limit in red, a needs-GPUs badge, and a fix button that applies the fix', async () => {
    const base = makeResult();
    const passing: RowAdvice = { missed: [], needsGpus: null, fix: null, passDistance: 0 };
    const fix: FixChange = { kind: 'slo', limits: { maxTtftMs: 2600 } };
    const advice: RowAdvice[] = base.candidates.map((c, i) =>
      i === 4
        ? { missed: [{ limit: 'ttft', limitMs: 2000, achievedMs: 2500 }], needsGpus: null, fix, passDistance: 1.2 }
        : c.perf === null
          ? { missed: [], needsGpus: 2, fix: { kind: 'layout', gpuId: c.gpuId, layout: { tp: 2, pp: 1, dp: 1, ep: false }, gpuCount: 2, maxGpus: null }, passDistance: 2.5 }
          : passing,
    );
    const onApplyFix = vi.fn();
    renderTable({ result: { ...base, advice }, onApplyFix });
    const missed = screen.getByText(/> 2,000 ms/);
    expect(missed.closest('.missed-limit')?.textContent).toMatch(/2,500 ms/);
    expect(screen.getByText('needs ≥ 2 × a100-40gb')).toBeTruthy();
    await userEvent.setup().click(screen.getByRole('button', { name: /Apply: Loosen the limit to TTFT ≤ 2\.60 s/ }));
    expect(onApplyFix).toHaveBeenCalledWith(fix, 4);
    expect(screen.getAllByText('Passes').length).toBe(6);
  });

  it('the how-to-pass sort puts the rows closest to passing first', () => {
    const base = makeResult();
    const advice: RowAdvice[] = base.candidates.map((_, i) => ({ missed: [], needsGpus: null, fix: null, passDistance: [1.5, 0, 2.2, 0, 1.1, 0, 0, 2.9][i] ?? 0 }));
    const rows = selectVisibleRows({ ...base, advice }, NO_FILTERS, { column: 'howToPass', descending: false });
    expect(rows.map((r) => r.advice?.passDistance)).toEqual([0, 0, 0, 0, 1.1, 1.5, 2.2, 2.9]);
  });

  it('says why a row does not fit', () => {
    renderTable();
    // One line with the reason's label; the engine's full sentence on hover.
    const cell = screen.getByText(/No: Weights exceed memory/);
    expect(cell.closest('[title]')?.getAttribute('title')).toMatch(/Weights need 14.96 GiB per GPU/);
  });

  it('selects a row on click and ticks it for comparison without selecting', async () => {
    const onSelect = vi.fn();
    const onCompareChange = vi.fn();
    renderTable({ onSelect, onCompareChange });
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'h200' }));
    expect(onSelect).toHaveBeenLastCalledWith(1);
    onSelect.mockClear();
    await user.click(screen.getByRole('checkbox', { name: /Compare h200 TP1/ }));
    expect(onCompareChange).toHaveBeenLastCalledWith([1]);
    expect(onSelect).not.toHaveBeenCalled();
  });

  it('marks the selected row with aria-current', () => {
    renderTable({ selectedIndex: 1 });
    const row = screen.getByRole('button', { name: 'h200' }).closest('tr');
    expect(row?.getAttribute('aria-current')).toBe('true');
    expect(screen.getByRole('button', { name: 'a100-40gb' }).closest('tr')?.hasAttribute('aria-current')).toBe(false);
  });
});

describe('ResultsFilters', () => {
  it('reports filter changes', async () => {
    const onFiltersChange = vi.fn();
    render(<ResultsFilters filters={NO_FILTERS} onFiltersChange={onFiltersChange} />);
    const user = userEvent.setup();
    await user.click(screen.getByRole('checkbox', { name: 'Fits only' }));
    expect(onFiltersChange).toHaveBeenLastCalledWith({ ...NO_FILTERS, fitsOnly: true });
    await user.click(screen.getByRole('checkbox', { name: 'Meets SLO' }));
    expect(onFiltersChange).toHaveBeenLastCalledWith({ ...NO_FILTERS, meetsSloOnly: true });
    // One GPU selection for everything (the Hardware panel): the table has no GPU filter of its own.
    expect(screen.queryByRole('group', { name: /GPU type/ })).toBeNull();
  });
});

describe('ResultsTable: replica copies folded into one row', () => {
  it('shows the copy count on the row and selects a copy from the opened list', async () => {
    const result = makeResult();
    const onSelect = vi.fn();
    const rows = selectCompactRows(selectVisibleRows(result, NO_FILTERS, BY_COST), { cheapestMeetingSlo: null, lowestLatency: null, highestThroughput: null });
    render(
      <ResultsTable result={result} rows={rows} sort={BY_COST} onSortChange={() => {}} selectedIndex={null} onSelect={onSelect} compareIndices={[]} onCompareChange={() => {}} />,
    );
    // 1 × h100 TP1 stands for itself and 8 × h100 as 8 copies (DP8 · TP1): one row, "1–8 copies".
    const summary = screen.getByText('1–8 copies');
    await userEvent.setup().click(summary);
    const list = screen.getByRole('list', { name: 'Copies of h100 TP1' });
    await userEvent.setup().click(within(list).getByRole('button', { name: '8 × h100 (8 copies)' }));
    expect(onSelect).toHaveBeenLastCalledWith(3);
    expect(within(list).getByRole('button', { name: '1 × h100 (1 copy)' }).getAttribute('aria-current')).toBe('true');
  });
});

describe('ResultsTable: where prices come from', () => {
  it('shows the source and date of each price on hover and marks prices that are not sourced rental prices', () => {
    const result = makeResult();
    const rows = selectVisibleRows(result, NO_FILTERS, BY_COST);
    const prices = new Map([
      ['h100', { gpuId: 'h100', usdPerHour: 3, status: 'sourced' as const, url: 'https://example.com/prices', retrieved: '2026-05-07', note: 'Lambda 1x H100' }],
      ['h200', { gpuId: 'h200', usdPerHour: 4, status: 'estimate' as const, url: 'https://example.com/h200', retrieved: '2026-11-26', note: 'ESTIMATE: set by hand' }],
    ]);
    render(<ResultsTable result={result} rows={rows} sort={BY_COST} onSortChange={() => {}} selectedIndex={null} onSelect={() => {}} compareIndices={[]} onCompareChange={() => {}} prices={prices} />);
    const sourced = screen.getAllByTitle(/per GPU-hour for h100: on-demand list price, read 2026-05-07 — Lambda 1x H100 \(https:\/\/example\.com\/prices\)/);
    expect(sourced.length).toBeGreaterThan(0);
    expect(sourced[0]?.textContent).toBe('$3.00');
    const estimate = screen.getByTitle(/for h200: estimate/);
    expect(estimate.textContent).toBe('$4.00 est.');
  });
});

describe('card rows on phones (issue 14)', () => {
  /** matchMedia answering the card-rows query (max-width: 600px) as a phone or a desktop would. */
  function stubWidth(phone: boolean): void {
    vi.stubGlobal('matchMedia', (query: string) => ({
      matches: phone && query.includes('max-width: 600px'),
      media: query,
      addEventListener: () => {},
      removeEventListener: () => {},
    }));
  }
  afterEach(() => vi.unstubAllGlobals());

  it('gives each card field that names a term its own "?", since the headers are hidden', async () => {
    stubWidth(true);
    renderTable();
    const [, body] = screen.getAllByRole('rowgroup');
    const firstRow = within(body as HTMLElement).getAllByRole('row')[0] as HTMLElement;
    const ttft = within(firstRow).getByRole('button', { name: 'What is TTFT?' });
    expect(ttft.closest('td')?.getAttribute('data-label')).toBe('TTFT');
    expect(ttft.closest('td')?.className).toContain('card-labelled');
    // The GPU field names no term: no "?".
    expect(firstRow.querySelector('td[data-label="GPU"] .term-button')).toBeNull();
    const onSelect = vi.fn();
    cleanup();
    renderTable({ onSelect });
    const row = within(screen.getAllByRole('rowgroup')[1] as HTMLElement).getAllByRole('row')[0] as HTMLElement;
    await userEvent.setup().click(within(row).getByRole('button', { name: 'What is TTFT?' }));
    expect(within(row).getByRole('note', { name: 'About TTFT' })).toBeTruthy();
    // Opening the popover does not select the row.
    expect(onSelect).not.toHaveBeenCalled();
  });

  it('adds nothing to the cells on a wide screen (the headers carry the "?")', () => {
    stubWidth(false);
    renderTable();
    const [, body] = screen.getAllByRole('rowgroup');
    expect((body as HTMLElement).querySelector('.term-button')).toBeNull();
    expect((body as HTMLElement).querySelector('.card-labelled')).toBeNull();
  });
});
