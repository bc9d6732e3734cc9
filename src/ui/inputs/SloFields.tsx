/** Latency limits (SLO); an empty field means no limit. */
import { parseSloMs } from '../../state/inputRules';
import { useAppStore } from '../../state/useAppStore';
import { ParsedField } from './ParsedField';

const NO_LIMIT = 'no limit';

export function SloFields() {
  const maxTtftMs = useAppStore((s) => s.inputs.maxTtftMs);
  const maxItlMs = useAppStore((s) => s.inputs.maxItlMs);
  const maxE2eMs = useAppStore((s) => s.inputs.maxE2eMs);
  const setInput = useAppStore((s) => s.setInput);
  return (
    <fieldset>
      <legend>Latency limits (SLO)</legend>
      <ParsedField label="Max time to first token (ms)" value={maxTtftMs} parse={parseSloMs} placeholder={NO_LIMIT} inputMode="decimal" onCommit={(v) => setInput('maxTtftMs', v)} />
      <ParsedField label="Max inter-token latency (ms)" value={maxItlMs} parse={parseSloMs} placeholder={NO_LIMIT} inputMode="decimal" onCommit={(v) => setInput('maxItlMs', v)} />
      <ParsedField label="Max end-to-end latency (ms)" value={maxE2eMs} parse={parseSloMs} placeholder={NO_LIMIT} inputMode="decimal" onCommit={(v) => setInput('maxE2eMs', v)} />
    </fieldset>
  );
}
