/** Latency limits (SLO); an empty field means no limit. */
import { parseSloMs } from '../../state/inputRules';
import { useAppStore } from '../../state/useAppStore';
import { ParsedField } from './ParsedField';
import { SelectField } from './SelectField';
import { SLO_PERCENTILE_LABELS, SLO_PERCENTILE_OF, SLO_PERCENTILE_OPTIONS } from './optionLabels';

const NO_LIMIT = 'no limit';

export function SloFields() {
  const maxTtftMs = useAppStore((s) => s.inputs.maxTtftMs);
  const maxItlMs = useAppStore((s) => s.inputs.maxItlMs);
  const maxE2eMs = useAppStore((s) => s.inputs.maxE2eMs);
  const sloPercentile = useAppStore((s) => s.inputs.sloPercentile);
  const loadKind = useAppStore((s) => s.inputs.loadKind);
  const setInput = useAppStore((s) => s.setInput);
  return (
    <fieldset>
      <legend>Latency limits (SLO)</legend>
      <ParsedField label="Max time to first token (ms)" value={maxTtftMs} parse={parseSloMs} placeholder={NO_LIMIT} inputMode="decimal" onCommit={(v) => setInput('maxTtftMs', v)} />
      <ParsedField label="Max inter-token latency (ms)" value={maxItlMs} parse={parseSloMs} placeholder={NO_LIMIT} inputMode="decimal" onCommit={(v) => setInput('maxItlMs', v)} />
      <ParsedField label="Max end-to-end latency (ms)" value={maxE2eMs} parse={parseSloMs} placeholder={NO_LIMIT} inputMode="decimal" onCommit={(v) => setInput('maxE2eMs', v)} />
      <SelectField
        label="Limits apply at"
        value={SLO_PERCENTILE_OPTIONS.find((o) => SLO_PERCENTILE_OF[o] === sloPercentile) ?? '99'}
        options={SLO_PERCENTILE_OPTIONS}
        optionLabels={SLO_PERCENTILE_LABELS}
        hint={
          loadKind === 'rate'
            ? 'Percentile of the simulated requests at the target rate.'
            : 'With a request-rate load; the concurrency table compares the limits with its mean latencies.'
        }
        onChange={(next) => setInput('sloPercentile', SLO_PERCENTILE_OF[next])}
      />
    </fieldset>
  );
}
