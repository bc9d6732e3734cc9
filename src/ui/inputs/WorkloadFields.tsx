/** Request shape and load: input/output lengths, and the load (LoadFields: concurrency or a request rate). */
import { parseTokens } from '../../state/inputRules';
import { useAppStore } from '../../state/useAppStore';
import { LoadFields } from './LoadFields';
import { ParsedField } from './ParsedField';

export function WorkloadFields() {
  const inputTokens = useAppStore((s) => s.inputs.inputTokens);
  const outputTokens = useAppStore((s) => s.inputs.outputTokens);
  const setInput = useAppStore((s) => s.setInput);

  return (
    <fieldset>
      <legend>Workload</legend>
      <ParsedField label="Input tokens per request" value={inputTokens} parse={parseTokens} onCommit={(v) => setInput('inputTokens', v)} />
      <ParsedField label="Output tokens per request" value={outputTokens} parse={parseTokens} onCommit={(v) => setInput('outputTokens', v)} />
      <LoadFields />
    </fieldset>
  );
}
