/**
 * Workload presets (state/presets.ts): one click sets the request shape, the load mode and the
 * latency limits of a typical use, with the source of its figures; editing any of those fields
 * makes the inputs "custom".
 */
import { matchingPreset, PRESET_IDS, WORKLOAD_PRESETS, withPreset } from '../../state/presets';
import { useAppStore, useAppStoreApi } from '../../state/useAppStore';

export function PresetPicker() {
  const store = useAppStoreApi();
  const current = useAppStore((s) => matchingPreset(s.inputs));
  const replaceInputs = useAppStore((s) => s.replaceInputs);
  const preset = current === null ? null : WORKLOAD_PRESETS[current];
  return (
    <fieldset className="preset-picker">
      <legend>Use case</legend>
      <div className="preset-options" role="radiogroup" aria-label="Use case">
        {PRESET_IDS.map((id) => (
          <label key={id} className={`preset-option${current === id ? ' selected' : ''}`}>
            <input type="radio" name="workload-preset" value={id} checked={current === id} onChange={() => replaceInputs(withPreset(store.getState().inputs, id))} />
            {WORKLOAD_PRESETS[id].label}
          </label>
        ))}
      </div>
      <p className="hint">
        {preset === null ? (
          'Custom workload: your own lengths, load and limits.'
        ) : (
          <>
            {preset.source}{' '}
            <a href={preset.sourceUrl} target="_blank" rel="noreferrer">
              Source
            </a>
          </>
        )}
      </p>
    </fieldset>
  );
}
