/**
 * Download buttons: the visible table as CSV, the whole result as JSON (strings from exportData.ts).
 * With the P/D serving shape, both also carry the P/D rows simulated so far (disagg/disaggExport.ts:
 * a `Shape` column and the pools' fields in the CSV, `disaggregated` in the JSON); it reads them from
 * the store itself, so ResultsView's memo holds. At a target request rate both carry the rows' capacity
 * plans as the table shows them (`result` is selectors.ts resultWithCapacity's view): the CSV's rate
 * columns (exportData.ts rateCsvColumns), and the target as the JSON's `request.load`; the target is
 * read from the store at the click, as ResultsPane derives it for the table (targetLoadOf).
 */
import type { ReactNode } from 'react';
import type { ModelArch, RecommendRequest, RecommendResult } from '../../engine/types';
import type { CandidateRow } from './contract';
import { exportFileName, toCsv, toResultJson } from './exportData';
import { downloadText } from '../download';
import { disaggCandidatesJson, toCsvWithPd } from '../disagg/disaggExport';
import { useDisagg } from '../disagg/useDisagg';
import { useAppStore, useAppStoreApi } from '../../state/useAppStore';
import { targetLoadOf } from '../../state/selectors';

export interface ExportButtonsProps {
  arch: ModelArch;
  request: RecommendRequest;
  result: RecommendResult;
  rows: readonly CandidateRow[];
}

export default function ExportButtons({ arch, request, result, rows }: ExportButtonsProps): ReactNode {
  const shape = useAppStore((s) => s.inputs.servingShape);
  const disagg = useDisagg();
  const pdRows = shape === 'pd' ? disagg.rows : [];
  const store = useAppStoreApi();
  const target = () => targetLoadOf(store.getState().inputs);
  const csv = (): string => (pdRows.length > 0 ? toCsvWithPd(rows, result.best, request, pdRows, target()) : toCsv(rows, result.best, request, target()));
  const json = (): string => {
    const load = target();
    return toResultJson({ arch, request, result, ...(pdRows.length > 0 ? { disaggregated: disaggCandidatesJson(pdRows) } : {}), ...(load === null ? {} : { target: load }) });
  };
  return (
    <div className="export-buttons" role="group" aria-label="Export">
      <button type="button" onClick={() => downloadText(csv(), exportFileName(arch.modelId, 'csv'), 'text/csv;charset=utf-8')}>
        Download CSV ({rows.length} rows{pdRows.length > 0 ? ` + ${pdRows.length} P/D` : ''})
      </button>
      <button type="button" onClick={() => downloadText(json(), exportFileName(arch.modelId, 'json'), 'application/json')}>
        Download JSON
      </button>
    </div>
  );
}
