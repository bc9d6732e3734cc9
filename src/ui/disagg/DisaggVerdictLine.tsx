/**
 * [disagg] The verdict's P/D sentence, under the aggregated verdict when P/D is chosen (issue 12
 * item 5): the engine's comparison (engine/disagg/disaggVerdict.ts) in words (disaggVerdictText.ts).
 * Self-contained (reads the store), so ResultsView's memo is not broken by P/D progress.
 */
import type { ReactNode } from 'react';
import { disaggVerdictText } from './disaggVerdictText';
import { useDisagg } from './useDisagg';

export default function DisaggVerdictLine(): ReactNode {
  const { ask, verdict, rows, state } = useDisagg();
  if (ask.status === 'off') return null;
  let text: string;
  if (ask.status === 'needs-rate') text = 'P/D: sized for a request rate with percentile limits; set Load to a request rate to compare it with aggregated serving.';
  else if (ask.status === 'waiting' || verdict === null) text = 'P/D: waiting for the aggregated results…';
  else if (rows.length + Object.keys(state.failed).length < ask.pairs.length) {
    const progress = `simulating GPU pair ${rows.length + 1} of ${ask.pairs.length}…`;
    text = rows.length === 0 ? `P/D: ${progress}` : `${disaggVerdictText(verdict, `P/D so far (${progress})`)}`;
  } else text = disaggVerdictText(verdict);
  return (
    <p className="verdict-line disagg-verdict" aria-live="polite" data-testid="disagg-verdict">
      {text}
    </p>
  );
}
