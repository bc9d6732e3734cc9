/**
 * Which result columns the table shows: a short default set (tableState.ts DEFAULT_VISIBLE_COLUMNS)
 * and a checkbox per column; GPU, count and layout are always shown.
 */
import { memo, type ReactNode } from 'react';
import { DEFAULT_VISIBLE_COLUMNS, PINNED_COLUMNS, RESULT_COLUMNS, type ResultColumnId } from '../../state/tableState';
import { headerWithUnit } from './columns';

export interface ColumnChooserProps {
  visible: readonly ResultColumnId[];
  onChange: (visible: readonly ResultColumnId[]) => void;
}

function ColumnChooser({ visible, onChange }: ColumnChooserProps): ReactNode {
  const optional = RESULT_COLUMNS.filter((id) => !PINNED_COLUMNS.includes(id));
  const shown = optional.filter((id) => visible.includes(id)).length;
  return (
    <details className="column-chooser">
      <summary>
        Columns ({shown} of {optional.length})
      </summary>
      <ul aria-label="Columns shown">
        {optional.map((id) => (
          <li key={id}>
            <label>
              <input
                type="checkbox"
                checked={visible.includes(id)}
                onChange={() => onChange(visible.includes(id) ? visible.filter((v) => v !== id) : [...visible, id])}
              />{' '}
              {headerWithUnit(id)}
            </label>
          </li>
        ))}
        <li>
          <button type="button" onClick={() => onChange(DEFAULT_VISIBLE_COLUMNS)}>
            Default columns
          </button>{' '}
          <button type="button" onClick={() => onChange(RESULT_COLUMNS)}>
            All columns
          </button>
        </li>
      </ul>
    </details>
  );
}

export default memo(ColumnChooser);
