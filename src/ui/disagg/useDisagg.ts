/** [disagg] The P/D ask (state/disagg.ts), its rows as simulated so far and the engine's verdict over them, for the P/D components. */
import { useMemo } from 'react';
import { disaggVerdictOf, type DisaggVerdict } from '../../engine/disagg/disaggVerdict';
import type { DisaggRow } from '../../engine/disagg/disaggRows';
import { disaggAskOf, disaggRowsOf, type DisaggAsk } from '../../state/disagg';
import { visibleView } from '../../state/selectors';
import type { DisaggState } from '../../state/slices';
import { useAppStore } from '../../state/useAppStore';

export interface DisaggView {
  ask: DisaggAsk;
  /** The rows of this ask simulated so far, in the ask's pair order. */
  rows: DisaggRow[];
  /** Null until the rows belong to this ask. */
  verdict: DisaggVerdict | null;
  state: DisaggState;
}

export function useDisagg(): DisaggView {
  const inputs = useAppStore((s) => s.inputs);
  const view = useAppStore((s) => visibleView(s.results));
  const state = useAppStore((s) => s.disagg);
  const ask = useMemo(() => disaggAskOf(inputs, view), [inputs, view]);
  const current = ask.status === 'ready' && state.forKey === ask.key;
  const rows = useMemo(() => (current ? disaggRowsOf(ask, state.rows) : []), [current, ask, state.rows]);
  const verdict = useMemo(() => (current ? disaggVerdictOf(rows) : null), [current, rows]);
  return { ask, rows, verdict, state };
}
