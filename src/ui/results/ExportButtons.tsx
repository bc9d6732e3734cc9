/** Download buttons: the visible table as CSV, the whole result as JSON (strings from exportData.ts). */
import type { ReactNode } from 'react';
import type { ModelArch, RecommendRequest, RecommendResult } from '../../engine/types';
import type { CandidateRow } from './contract';
import { exportFileName, toCsv, toResultJson } from './exportData';
import { downloadText } from '../download';

export interface ExportButtonsProps {
  arch: ModelArch;
  request: RecommendRequest;
  result: RecommendResult;
  rows: readonly CandidateRow[];
}

export default function ExportButtons({ arch, request, result, rows }: ExportButtonsProps): ReactNode {
  return (
    <div className="export-buttons" role="group" aria-label="Export">
      <button type="button" onClick={() => downloadText(toCsv(rows, result.best, request), exportFileName(arch.modelId, 'csv'), 'text/csv;charset=utf-8')}>
        Download CSV ({rows.length} rows)
      </button>
      <button
        type="button"
        onClick={() => downloadText(toResultJson({ arch, request, result }), exportFileName(arch.modelId, 'json'), 'application/json')}
      >
        Download JSON
      </button>
    </div>
  );
}
