/**
 * Custom GPUs as JSON: paste one object or a list to import (parsed like the form, every bad field
 * named), export the current list into the box or as a file. The export holds GPU figures only.
 */
import { useId, useState } from 'react';
import { customGpusToJsonText, parseCustomGpuText } from '../../state/customGpus';
import { useAppStore } from '../../state/useAppStore';
import { downloadText } from '../download';

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

const EXPORT_FILE_NAME = 'gpu-fit-custom-gpus.json';

const downloadJson = (text: string): void => downloadText(text, EXPORT_FILE_NAME, 'application/json');

export function CustomGpuImport() {
  const customGpus = useAppStore((s) => s.customGpus);
  const addCustomGpus = useAppStore((s) => s.addCustomGpus);
  const [text, setText] = useState(EXAMPLE);
  const [error, setError] = useState<string | null>(null);
  const id = useId();

  const importText = (): void => {
    const parsed = parseCustomGpuText(text);
    if (!parsed.ok) {
      setError(parsed.error);
      return;
    }
    setError(null);
    addCustomGpus(parsed.value);
  };

  return (
    <div className="custom-gpu-json">
      <label htmlFor={id}>Custom GPU JSON (one object or a list; memory in GiB as the runtime reports it, bandwidths in GB/s, dense TFLOPS, USD per hour)</label>
      <textarea id={id} rows={12} value={text} spellCheck={false} onChange={(e) => setText(e.target.value)} />
      {error === null ? null : (
        <p role="alert" className="field-error">
          {error}
        </p>
      )}
      <div className="row-buttons">
        <button type="button" onClick={importText}>
          Import JSON
        </button>
        <button type="button" disabled={customGpus.length === 0} onClick={() => setText(customGpusToJsonText(customGpus))}>
          Export to the box
        </button>
        <button type="button" disabled={customGpus.length === 0} onClick={() => downloadJson(customGpusToJsonText(customGpus))}>
          Download JSON
        </button>
      </div>
    </div>
  );
}
