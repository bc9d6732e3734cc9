/** Download buttons: the visible table as CSV, the whole result as JSON (strings from exportData.ts). */
import type { ReactNode } from 'react';
import type { ModelArch, RecommendRequest, RecommendResult } from '../../engine/types';
import type { CandidateRow } from './contract';
import { exportFileName, toCsv, toResultJson } from './exportData';

export interface ExportButtonsProps {
  arch: ModelArch;
  request: RecommendRequest;
  result: RecommendResult;
  rows: readonly CandidateRow[];
}

function download(text: string, fileName: string, mimeType: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: mimeType }));
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  anchor.click();
  URL.revokeObjectURL(url);
}

export default function ExportButtons({ arch, request, result, rows }: ExportButtonsProps): ReactNode {
  return (
    <div className="export-buttons" role="group" aria-label="Export">
      <button type="button" onClick={() => download(toCsv(rows, result.best, request), exportFileName(arch.modelId, 'csv'), 'text/csv;charset=utf-8')}>
        Download CSV ({rows.length} rows)
      </button>
      <button
        type="button"
        onClick={() => download(toResultJson({ arch, request, result }), exportFileName(arch.modelId, 'json'), 'application/json')}
      >
        Download JSON
      </button>
    </div>
  );
}
