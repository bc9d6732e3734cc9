/**
 * The answer first (issue 14): the engine's verdict (engine/verdict.ts) as one sentence at the top
 * of the results, with a button that selects the pick's row and, when nothing passes, one that
 * applies the nearest fix. Presentational; the words come from verdictText.ts.
 */
import { memo, type ReactNode } from 'react';
import type { FixChange, Verdict } from '../../engine/types';
import { CLOSED_FORM_FIX_NOTE, fixText, SIMULATED_FIX_NOTE, SIMULATING_FIX_NOTE, verdictWords } from './verdictText';
import type { PriceProvenance } from '../../engine/priceSource';
import { priceSentence } from './priceNotes';

export interface VerdictLineProps {
  verdict: Verdict | undefined;
  modelId: string;
  onSelect: (index: number | null) => void;
  /** Applies a fix to the inputs; `index` is the row it fixes. Absent: no button. */
  onApplyFix?: (fix: FixChange, index: number | null) => void;
  /** The pick's price and where it comes from (priceNotes.ts), for the footnote; absent = none. */
  pickPrice?: PriceProvenance;
}

/** "meta-llama/Llama-3.1-8B-Instruct" → "Llama-3.1-8B-Instruct": the repository name reads as the model's. */
function shortName(modelId: string): string {
  const slash = modelId.lastIndexOf('/');
  return slash < 0 ? modelId : modelId.slice(slash + 1);
}

const FIX_BASIS_NOTE = { 'closed-form': CLOSED_FORM_FIX_NOTE, simulating: SIMULATING_FIX_NOTE, simulated: SIMULATED_FIX_NOTE } as const;

function VerdictLine({ verdict, modelId, onSelect, onApplyFix, pickPrice }: VerdictLineProps): ReactNode {
  if (verdict === undefined) return null;
  const words = verdictWords(verdict, shortName(modelId));
  const fix = verdict.kind === 'none-meets-slo' || verdict.kind === 'none-fits' ? verdict.fix : null;
  const fixIndex = verdict.kind === 'none-meets-slo' ? verdict.closest.index : verdict.kind === 'none-fits' ? verdict.closestIndex : null;
  const passes = verdict.kind === 'pick';
  return (
    <section className={`verdict ${passes ? 'verdict-pass' : 'verdict-fail'}`} aria-label="Verdict" data-testid="verdict">
      <p className="verdict-headline">{words.headline}</p>
      {words.detail === null ? null : <p className="verdict-detail">{words.detail}</p>}
      {words.basis === null ? null : (
        <p className="verdict-basis" data-testid="verdict-basis">
          {words.basis}
        </p>
      )}
      <p className="verdict-actions">
        {verdict.kind === 'pick' ? (
          <button type="button" onClick={() => onSelect(verdict.pick.index)}>
            Show this configuration
          </button>
        ) : null}
        {fix !== null && onApplyFix !== undefined ? (
          <button type="button" onClick={() => onApplyFix(fix, fixIndex)}>
            Apply: {fixText(fix)}
          </button>
        ) : null}
      </p>
      {fix !== null && verdict.kind === 'none-meets-slo' && verdict.fixCheckedOn !== undefined ? (
        <p className="verdict-fix-basis" data-testid="verdict-fix-basis">
          {FIX_BASIS_NOTE[verdict.fixCheckedOn]}
        </p>
      ) : null}
      {verdict.kind === 'pick' && pickPrice !== undefined ? (
        <p className="verdict-footnote">
          Price: {priceSentence(pickPrice)}
          {pickPrice.url === null ? null : (
            <>
              {' '}
              <a href={pickPrice.url} target="_blank" rel="noreferrer noopener">
                Price page
              </a>
            </>
          )}
        </p>
      ) : null}
    </section>
  );
}

export default memo(VerdictLine);
