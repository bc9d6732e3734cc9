/**
 * Custom GPUs: add a part the catalog lacks (or a private price) as JSON in the form's units, see the
 * ones added, export them. Parsing and validation live in src/state/customGpus.ts.
 */
import { useId, useState } from 'react';
import { parseConfigJson } from '../../engine/arch/parseConfigJson';
import { customGpuToJson, parseCustomGpuList } from '../../state/customGpus';
import { useAppStore } from '../../state/useAppStore';

const EXAMPLE = `{
  "name": "My GPU",
  "memoryGiB": 94,
  "memBandwidthGBPerS": 3900,
  "bf16Tflops": 835,
  "fp8Tflops": 1670,
  "interconnect": "nvlink",
  "interconnectGBPerS": 450,
  "gpusPerNode": 8,
  "tdpWatts": 700,
  "priceUsdPerHour": 2.5
}`;

export function CustomGpuPanel() {
  const customGpus = useAppStore((s) => s.customGpus);
  const addCustomGpus = useAppStore((s) => s.addCustomGpus);
  const removeCustomGpu = useAppStore((s) => s.removeCustomGpu);
  const [text, setText] = useState(EXAMPLE);
  const [error, setError] = useState<string | null>(null);
  const id = useId();

  const add = (): void => {
    const json = parseConfigJson(text);
    if (!json.ok) {
      setError(`Not valid JSON${json.error.kind === 'malformed-json' && json.error.line !== undefined ? ` (line ${json.error.line}, column ${json.error.column ?? '?'})` : ''}.`);
      return;
    }
    const parsed = parseCustomGpuList(json.value);
    if (!parsed.ok) {
      setError(`Field ${parsed.error.field}: ${parsed.error.reason}.`);
      return;
    }
    setError(null);
    addCustomGpus(parsed.value);
  };

  return (
    <details className="custom-gpus">
      <summary>Custom GPUs ({customGpus.length})</summary>
      <label htmlFor={id}>Custom GPU JSON (memory in GiB as the runtime reports it, bandwidth in GB/s, dense TFLOPS, USD per hour)</label>
      <textarea id={id} rows={12} value={text} spellCheck={false} onChange={(e) => setText(e.target.value)} />
      {error === null ? null : (
        <p role="alert" className="field-error">
          {error}
        </p>
      )}
      <button type="button" onClick={add}>
        Add custom GPU
      </button>
      {customGpus.length === 0 ? null : (
        <>
          <ul aria-label="Custom GPUs">
            {customGpus.map((g) => (
              <li key={g.id}>
                {g.name}{' '}
                <button type="button" onClick={() => removeCustomGpu(g.id)} aria-label={`Remove custom GPU ${g.name}`}>
                  Remove
                </button>
              </li>
            ))}
          </ul>
          <button type="button" onClick={() => setText(JSON.stringify(customGpus.map(customGpuToJson), null, 2))}>
            Export all as JSON
          </button>
        </>
      )}
    </details>
  );
}
