/**
 * The load (issue 10): a closed-loop concurrency, or a target request rate (with its burstiness) that
 * the table answers with replicas and p99 latencies, simulated row by row after the closed form.
 */
import { parseBurstiness, parseConcurrencyCount, parseRatePerS } from '../../state/inputRules';
import { LOAD_KINDS } from '../../state/inputs';
import { useAppStore } from '../../state/useAppStore';
import { ParsedField } from './ParsedField';
import { SelectField } from './SelectField';
import { CONCURRENCY_MODES, CONCURRENCY_MODE_LABELS, LOAD_KIND_LABELS, type ConcurrencyMode } from './optionLabels';

/** A fixed count to start from when the user switches the mode to "fixed" (vLLM bench's common 64). */
const FIRST_FIXED_CONCURRENCY = 64;

export function LoadFields() {
  const loadKind = useAppStore((s) => s.inputs.loadKind);
  const concurrency = useAppStore((s) => s.inputs.concurrency);
  const ratePerS = useAppStore((s) => s.inputs.ratePerS);
  const burstiness = useAppStore((s) => s.inputs.burstiness);
  const setInput = useAppStore((s) => s.setInput);
  const mode: ConcurrencyMode = typeof concurrency === 'number' ? 'fixed' : concurrency;
  return (
    <>
      <SelectField label="Load" value={loadKind} options={LOAD_KINDS} optionLabels={LOAD_KIND_LABELS} onChange={(next) => setInput('loadKind', next)} />
      {loadKind === 'rate' ? (
        <>
          <ParsedField
            label="Request rate (requests/s)"
            value={ratePerS}
            parse={parseRatePerS}
            inputMode="decimal"
            hint="Open loop, Poisson arrivals: the table shows the replicas this rate needs within the latency limits."
            onCommit={(v) => setInput('ratePerS', v)}
          />
          <ParsedField
            label="Burstiness"
            value={burstiness}
            parse={parseBurstiness}
            inputMode="decimal"
            hint="1 = Poisson; below 1 burstier (vllm bench serve --burstiness)."
            onCommit={(v) => setInput('burstiness', v)}
          />
        </>
      ) : (
        <>
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
        </>
      )}
    </>
  );
}
