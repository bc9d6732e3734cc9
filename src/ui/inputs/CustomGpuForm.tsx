/**
 * A small form for one custom GPU. The text goes through the same parser as a JSON import
 * (state/customGpus.ts parseCustomGpuDraft); each rejected field is marked and says why.
 */
import { useId, useState, type ReactNode } from 'react';
import { GPU_GENERATIONS } from '../../engine/types';
import {
  describeCustomGpuErrors,
  EMPTY_CUSTOM_GPU_DRAFT,
  INTERCONNECT_KINDS,
  parseCustomGpuDraft,
  type CustomGpuDraft,
  type CustomGpuError,
  type CustomGpuField,
} from '../../state/customGpus';
import { useAppStore } from '../../state/useAppStore';

const LABELS: Record<CustomGpuField, string> = {
  name: 'GPU name',
  memoryGiB: 'Memory, GiB (as the runtime reports it)',
  memBandwidthGBPerS: 'Memory bandwidth, GB/s',
  bf16Tflops: 'Dense BF16 TFLOPS',
  fp8Tflops: 'Dense FP8 TFLOPS (empty: no FP8)',
  interconnect: 'Interconnect',
  interconnectGBPerS: 'Interconnect, GB/s per GPU and direction',
  gpusPerNode: 'GPUs per node on that interconnect',
  tdpWatts: 'TDP, W',
  priceUsdPerHour: 'Price, USD per GPU-hour',
  efficiencyLike: 'Kernel efficiency like',
};

const NUMBER_FIELDS = [
  'memoryGiB',
  'memBandwidthGBPerS',
  'bf16Tflops',
  'fp8Tflops',
  'interconnectGBPerS',
  'gpusPerNode',
  'tdpWatts',
  'priceUsdPerHour',
] as const satisfies readonly CustomGpuField[];

interface FieldProps {
  field: CustomGpuField;
  error: CustomGpuError | undefined;
  children: (id: string, describedBy: string | undefined) => ReactNode;
}

function Field({ field, error, children }: FieldProps) {
  const id = useId();
  return (
    <div className="field compact">
      <label htmlFor={id}>{LABELS[field]}</label>
      {children(id, error === undefined ? undefined : `${id}-error`)}
      {error === undefined ? null : (
        <small id={`${id}-error`} className="field-error">
          {`${error.field} ${error.reason}`}
        </small>
      )}
    </div>
  );
}

export function CustomGpuForm() {
  const addCustomGpus = useAppStore((s) => s.addCustomGpus);
  const [draft, setDraft] = useState<CustomGpuDraft>(EMPTY_CUSTOM_GPU_DRAFT);
  const [errors, setErrors] = useState<readonly CustomGpuError[]>([]);
  const [added, setAdded] = useState<string | null>(null);
  const errorOf = (field: CustomGpuField) => errors.find((e) => e.field === field);
  const edit = (field: CustomGpuField, text: string): void => setDraft((d) => ({ ...d, [field]: text }));

  const textInput = (field: CustomGpuField, inputMode: 'decimal' | 'text') => (
    <Field key={field} field={field} error={errorOf(field)}>
      {(id, describedBy) => (
        <input
          id={id}
          type="text"
          inputMode={inputMode}
          value={draft[field]}
          aria-invalid={errorOf(field) !== undefined}
          aria-describedby={describedBy}
          onChange={(e) => edit(field, e.target.value)}
        />
      )}
    </Field>
  );
  const select = (field: 'interconnect' | 'efficiencyLike', options: readonly string[], emptyLabel?: string) => (
    <Field key={field} field={field} error={errorOf(field)}>
      {(id, describedBy) => (
        <select id={id} value={draft[field]} aria-describedby={describedBy} onChange={(e) => edit(field, e.target.value)}>
          {emptyLabel === undefined ? null : <option value="">{emptyLabel}</option>}
          {options.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      )}
    </Field>
  );

  return (
    <form
      aria-label="Add a custom GPU"
      className="custom-gpu-form"
      onSubmit={(e) => {
        e.preventDefault();
        const parsed = parseCustomGpuDraft(draft);
        if (!parsed.ok) {
          setErrors(parsed.error);
          setAdded(null);
          return;
        }
        setErrors([]);
        setAdded(parsed.value.id);
        addCustomGpus([parsed.value]);
      }}
    >
      {textInput('name', 'text')}
      {NUMBER_FIELDS.map((field) => textInput(field, 'decimal'))}
      {select('interconnect', INTERCONNECT_KINDS)}
      {select('efficiencyLike', GPU_GENERATIONS, 'default (hopper; cdna3 for xgmi)')}
      {errors.length === 0 ? null : (
        <p role="alert" className="field-error">
          {`Not added: ${describeCustomGpuErrors(errors)}.`}
        </p>
      )}
      {added === null ? null : <p className="muted" aria-live="polite">{`Added ${added}.`}</p>}
      <button type="submit">Add custom GPU</button>
    </form>
  );
}
