/**
 * The table's filters: fits only, meets SLO, and the compact view (best layout per GPU type and
 * count). Controlled by props. GPU types are chosen once, in the Hardware panel (GpuFields.tsx), for
 * everything the page computes and shows.
 */
import { memo, type ReactNode } from 'react';
import type { TableFilters } from '../../state/tableState';

export interface ResultsFiltersProps {
  filters: TableFilters;
  onFiltersChange: (filters: TableFilters) => void;
  /** One row per GPU type × count (compactRows.ts); absent = no such checkbox. */
  compact?: boolean;
  onCompactChange?: (compact: boolean) => void;
}

function ResultsFilters({ filters, onFiltersChange, compact, onCompactChange }: ResultsFiltersProps): ReactNode {
  return (
    <div className="results-filters" role="group" aria-label="Table filters">
      {compact === undefined || onCompactChange === undefined ? null : (
        <label title="One row per GPU type and GPU count: the layout that ranks best (meets the SLO, cheapest per token), plus the best picks. Untick to list every TP × PP × DP layout.">
          <input type="checkbox" checked={compact} onChange={(event) => onCompactChange(event.target.checked)} />
          Best layout only
        </label>
      )}
      <label>
        <input
          type="checkbox"
          checked={filters.fitsOnly}
          onChange={(event) => onFiltersChange({ ...filters, fitsOnly: event.target.checked })}
        />
        Fits only
      </label>
      <label>
        <input
          type="checkbox"
          checked={filters.meetsSloOnly}
          onChange={(event) => onFiltersChange({ ...filters, meetsSloOnly: event.target.checked })}
        />
        Meets SLO
      </label>
    </div>
  );
}

export default memo(ResultsFilters);
