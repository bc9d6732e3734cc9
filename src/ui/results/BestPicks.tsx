/**
 * The three best picks as cards above the table: cheapest meeting the SLO, lowest latency (judged
 * and shown with one request in flight, RecommendResult.lowestLatencyPoint), highest throughput
 * (RecommendResult.best), each with the figures that decide and a button that selects its row.
 * Presentational; no arithmetic.
 */
import { memo, type ReactNode } from 'react';
import type { RecommendResult } from '../../engine/types';
import { formatMs, formatTokensPerS, formatUsd } from '../format';
import { candidateLabel } from './latencyCostPoints';
import { operatingPoint } from './verdictText';
import { BEST_PICK_LABELS, BEST_PICKS, type BestPick } from './tableRows';

export interface BestPicksProps {
  result: RecommendResult;
  selectedIndex: number | null;
  onSelect: (index: number | null) => void;
}

/** What an empty pick means. */
const NONE_TEXT: Record<BestPick, string> = {
  cheapestMeetingSlo: 'No configuration meets the SLO. Relax a latency limit or raise the GPU budget.',
  lowestLatency: 'No configuration fits.',
  highestThroughput: 'No configuration fits.',
};

function BestPicks({ result, selectedIndex, onSelect }: BestPicksProps): ReactNode {
  return (
    <ul className="best-picks" aria-label="Best picks">
      {BEST_PICKS.map((pick) => {
        const index = result.best[pick];
        const candidate = index === null ? undefined : result.candidates[index];
        // Lowest latency is judged with one request in flight (engine recommend.ts): its figures are there.
        const atLightest = pick === 'lowestLatency' ? result.lowestLatencyPoint : undefined;
        const perf = atLightest ?? candidate?.perf ?? null;
        const load = atLightest !== undefined ? operatingPoint(atLightest.concurrency, 'fixed') : candidate === undefined ? '' : operatingPoint(candidate.concurrency, candidate.concurrency === null ? 'saturation' : 'sweep');
        return (
          <li key={pick} className={`best-pick best-pick-${pick}${index !== null && index === selectedIndex ? ' selected' : ''}`}>
            <span className={`badge badge-${pick}`}>{BEST_PICK_LABELS[pick]}</span>
            {index === null || candidate === undefined ? (
              <p className="note">{NONE_TEXT[pick]}</p>
            ) : (
              <>
                <button
                  type="button"
                  className="row-select best-pick-config"
                  aria-label={`${BEST_PICK_LABELS[pick]}: ${candidateLabel(candidate)}, show details`}
                  onClick={() => onSelect(index)}
                >
                  {candidateLabel(candidate)}
                </button>
                {perf === null ? null : (
                  <dl className="best-pick-figures">
                    <dt>Load</dt>
                    <dd>{load}</dd>
                    <dt>$/M output tokens</dt>
                    <dd>{formatUsd(perf.usdPerMillionOutputTokens)}</dd>
                    <dt>ITL</dt>
                    <dd>{formatMs(perf.itlMs)}</dd>
                    <dt>TTFT</dt>
                    <dd>{formatMs(perf.ttftMs)}</dd>
                    <dt>Output</dt>
                    <dd>{formatTokensPerS(perf.outputTokensPerS)}</dd>
                    <dt>$/hour</dt>
                    <dd>{formatUsd(perf.costUsdPerHour)}</dd>
                  </dl>
                )}
                {atLightest === undefined ? null : <p className="note">At the lightest load: one request in flight.</p>}
                <p className="note">{candidate.meetsSlo ? 'Meets the SLO' : 'Misses the SLO'}</p>
              </>
            )}
          </li>
        );
      })}
    </ul>
  );
}

export default memo(BestPicks);
