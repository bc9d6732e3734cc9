/** The table's filters: fits only, meets SLO, GPU type. Controlled by props.filters. */
import type { ReactNode } from 'react';
import type { TableFilters } from './contract';
import { toggleMember } from './tableRows';

export interface ResultsFiltersProps {
  filters: TableFilters;
  onFiltersChange: (filters: TableFilters) => void;
  /** GPU ids present in the result (selectGpuIds). */
  gpuIds: readonly string[];
}

export default function ResultsFilters({ filters, onFiltersChange, gpuIds }: ResultsFiltersProps): ReactNode {
  return (
    <div className="results-filters" role="group" aria-label="Table filters">
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
      <fieldset className="gpu-filter">
        <legend>GPU type{filters.gpuIds.length === 0 ? ' (all)' : ''}</legend>
        {gpuIds.map((gpuId) => (
          <label key={gpuId}>
            <input
              type="checkbox"
              checked={filters.gpuIds.includes(gpuId)}
              onChange={() => onFiltersChange({ ...filters, gpuIds: toggleMember(filters.gpuIds, gpuId) })}
            />
            {gpuId}
          </label>
        ))}
      </fieldset>
    </div>
  );
}
