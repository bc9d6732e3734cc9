// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import type { Verdict, VerdictBasis, VerdictRow } from '../../engine/types';
import { makeVerdictRow } from './verdictRow.testing';
import VerdictLine from './VerdictLine';
import { meetsSloText } from './columns';

const row = makeVerdictRow;
const basis = (over: Partial<VerdictBasis> = {}): VerdictBasis => ({ percentile: 99, targetRequestsPerS: 20, simulatedRows: 3, estimatedRows: 22, decidingRowSimulated: true, ...over });
const pick = (p: VerdictRow, b: VerdictBasis | undefined): Verdict => ({ kind: 'pick', pick: p, reason: 'cheapest-meeting-slo', load: 'sweep', tieBandPct: 13.8, competitor: null, ...(b === undefined ? {} : { basis: b }) });

afterEach(cleanup);

describe('VerdictLine under a request-rate load (issue 10)', () => {
  it('quotes the simulated p99 at the target rate and says the judgement is the simulator’s', () => {
    const atTarget = { percentile: 99 as const, targetRequestsPerS: 20, replicasNeeded: 3, ttftMs: 1234, itlMs: 45.6, e2eMs: 7000, costUsdPerHour: 11.34 };
    render(<VerdictLine verdict={pick(row({ atTarget }), basis())} modelId="meta-llama/Llama-3.1-8B-Instruct" onSelect={vi.fn()} />);
    const verdict = screen.getByRole('region', { name: 'Verdict' });
    expect(verdict.textContent).toMatch(/p99 ITL 45\.6 ms, p99 TTFT 1\.23 s at 20 req\/s on 3 copies/);
    expect(screen.getByTestId('verdict-basis').textContent).toContain('Judged on the simulated p99 latencies at 20 req/s (3 of 25 rows simulated');
  });

  it('says plainly when the pick is still the closed form’s estimate, pending simulation', () => {
    render(<VerdictLine verdict={pick(row(), basis({ simulatedRows: 0, estimatedRows: 25, decidingRowSimulated: false }))} modelId="m/x" onSelect={vi.fn()} />);
    expect(screen.getByTestId('verdict-basis').textContent).toMatch(/^Interim estimate: this row is judged on the closed form's mean latencies against the p99 limits until the simulator reaches it \(0 of 25 rows simulated\)\.$/);
    expect(screen.getByRole('region', { name: 'Verdict' }).textContent).toContain('ITL 12.4 ms, TTFT 210.0 ms @ 32 concurrent');
  });

  it('says whether a fix under a request rate was checked on the closed form or simulated at the rate', () => {
    const miss = (fixCheckedOn: 'closed-form' | 'simulating' | 'simulated' | undefined): Verdict => ({
      kind: 'none-meets-slo',
      closest: row(),
      missed: [{ limit: 'itl', limitMs: 40, achievedMs: 55 }],
      fix: { kind: 'slo', limits: { maxItlMs: 60 } },
      load: 'sweep',
      basis: basis(),
      ...(fixCheckedOn === undefined ? {} : { fixCheckedOn }),
    });
    render(<VerdictLine verdict={miss('closed-form')} modelId="m/x" onSelect={vi.fn()} onApplyFix={vi.fn()} />);
    expect(screen.getByTestId('verdict-fix-basis').textContent).toBe(
      "This fix is checked on the closed form's mean latencies, not simulated at the target rate: an approximation. Select its row to simulate it at the rate.",
    );
    cleanup();
    render(<VerdictLine verdict={miss('simulating')} modelId="m/x" onSelect={vi.fn()} onApplyFix={vi.fn()} />);
    expect(screen.getByTestId('verdict-fix-basis').textContent).toBe(
      "Simulating this fix at the target rate… Until the run is back it stands on the closed form's mean latencies.",
    );
    cleanup();
    render(<VerdictLine verdict={miss('simulated')} modelId="m/x" onSelect={vi.fn()} onApplyFix={vi.fn()} />);
    expect(screen.getByTestId('verdict-fix-basis').textContent).toBe('This fix is simulated at the target rate: with it the row meets the limits at their percentile.');
    cleanup();
    render(<VerdictLine verdict={miss(undefined)} modelId="m/x" onSelect={vi.fn()} onApplyFix={vi.fn()} />);
    expect(screen.queryByTestId('verdict-fix-basis')).toBeNull();
  });

  it('a concurrency load has no basis line', () => {
    render(<VerdictLine verdict={pick(row(), undefined)} modelId="m/x" onSelect={vi.fn()} />);
    expect(screen.queryByTestId('verdict-basis')).toBeNull();
  });
});

describe('the Meets SLO cell', () => {
  const c = { meetsSlo: true, perf: {} } as unknown as Parameters<typeof meetsSloText>[0];
  it('says what the answer rests on under a request rate', () => {
    expect(meetsSloText(c)).toBe('Yes');
    expect(meetsSloText({ ...c, sloBasis: 'simulated' })).toBe('Yes (simulated)');
    expect(meetsSloText({ ...c, meetsSlo: false, sloBasis: 'closed-form-estimate' })).toBe('No (estimate)');
  });
});
