/** Request shape and load: input/output lengths and concurrency ('sweep', 'max' or a number). */
import { parseConcurrencyCount, parseTokens } from '../../state/inputRules';
import { useAppStore } from '../../state/useAppStore';
import { ParsedField } from './ParsedField';
import { SelectField } from './SelectField';
import { CONCURRENCY_MODES, CONCURRENCY_MODE_LABELS, type ConcurrencyMode } from './optionLabels';

/** A fixed count to start from when the user switches the mode to "fixed" (vLLM bench's common 64). */
const FIRST_FIXED_CONCURRENCY = 64;

export function WorkloadFields() {
  const inputTokens = useAppStore((s) => s.inputs.inputTokens);
  const outputTokens = useAppStore((s) => s.inputs.outputTokens);
  const concurrency = useAppStore((s) => s.inputs.concurrency);
  const setInput = useAppStore((s) => s.setInput);
  const mode: ConcurrencyMode = typeof concurrency === 'number' ? 'fixed' : concurrency;

  return (
    <fieldset>
      <legend>Workload</legend>
      <ParsedField label="Input tokens per request" value={inputTokens} parse={parseTokens} onCommit={(v) => setInput('inputTokens', v)} />
      <ParsedField label="Output tokens per request" value={outputTokens} parse={parseTokens} onCommit={(v) => setInput('outputTokens', v)} />
      <SelectField
        label="Concurrency"
        value={mode}
        options={CONCURRENCY_MODES}
        optionLabels={CONCURRENCY_MODE_LABELS}
        onChange={(next) => setInput('concurrency', next === 'fixed' ? FIRST_FIXED_CONCURRENCY : next)}
      />
      {typeof concurrency === 'number' ? (
        <ParsedField label="Concurrent requests" value={concurrency} parse={parseConcurrencyCount} onCommit={(v) => setInput('concurrency', v)} />
      ) : null}
    </fieldset>
  );
}
