/**
 * Custom GPUs: parts the catalog lacks (or a private price), added by a form or imported as JSON,
 * remembered in this browser, planned by the engine beside the catalog (ids start with "custom:").
 * Parsing and validation live in src/state/customGpus.ts.
 */
import { useAppStore } from '../../state/useAppStore';
import { CustomGpuForm } from './CustomGpuForm';
import { CustomGpuImport } from './CustomGpuImport';

export function CustomGpuPanel() {
  const customGpus = useAppStore((s) => s.customGpus);
  const removeCustomGpu = useAppStore((s) => s.removeCustomGpu);

  return (
    <details className="custom-gpus">
      <summary>Custom GPUs ({customGpus.length})</summary>
      {customGpus.length === 0 ? (
        <p className="muted">None yet. Saved in this browser only (localStorage).</p>
      ) : (
        <ul aria-label="Custom GPUs">
          {customGpus.map((g) => (
            <li key={g.id}>
              <span>{g.id}</span>{' '}
              <button type="button" onClick={() => removeCustomGpu(g.id)} aria-label={`Remove custom GPU ${g.name}`}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <CustomGpuForm />
      <details className="custom-gpu-import">
        <summary>Import or export as JSON</summary>
        <CustomGpuImport />
      </details>
    </details>
  );
}
