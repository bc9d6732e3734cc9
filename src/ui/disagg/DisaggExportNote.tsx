/**
 * [disagg] Beside the main CSV/JSON buttons when P/D is chosen (issue 12 item 5): the main exports
 * hold the aggregated rows and the P/D rows simulated so far (a Shape column; ExportButtons), and a
 * button takes the user (focus and scroll) to the P/D section's own downloads (launch commands and
 * the verdict), or to the section while its rows are still being simulated.
 * Self-contained (reads only the serving shape), so ResultsView's memo holds.
 */
import type { ReactNode } from 'react';
import { useAppStore } from '../../state/useAppStore';
import './disagg.css';

/** The P/D section's export group (DisaggSection) and the section itself, the note's targets. */
export const DISAGG_EXPORT_ID = 'disagg-export';
export const DISAGG_SECTION_ID = 'disagg-section';

function goToPdDownloads(): void {
  const target = document.getElementById(DISAGG_EXPORT_ID)?.querySelector<HTMLButtonElement>('button') ?? document.getElementById(DISAGG_SECTION_ID);
  if (target === null) return;
  target.scrollIntoView?.({ block: 'center' });
  target.focus();
}

export default function DisaggExportNote(): ReactNode {
  const shape = useAppStore((s) => s.inputs.servingShape);
  if (shape !== 'pd') return null;
  return (
    <p className="note disagg-export-note" role="note" aria-label="P/D rows in the exports">
      These downloads hold the aggregated rows and the P/D rows simulated so far (a Shape column); the P/D section has its own CSV and JSON too.{' '}
      <button type="button" className="link-button" onClick={goToPdDownloads}>
        Go to the P/D downloads
      </button>
    </p>
  );
}
