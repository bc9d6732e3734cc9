/** Every workload and hardware input, in four groups; each field writes to the store on its own. */
import { workloadWarnings } from '../../state/selectors';
import { useAppStore } from '../../state/useAppStore';
import { GpuFields } from './GpuFields';
import { PresetPicker } from './PresetPicker';
import { ServingFields } from './ServingFields';
import { ServingShapeFields } from './ServingShapeFields';
import { ServingShapeChoice } from './ServingShapeChoice';
import { SloFields } from './SloFields';
import { WorkloadFields } from './WorkloadFields';

export function WorkloadForm() {
  const inputs = useAppStore((s) => s.inputs);
  const warnings = workloadWarnings(inputs);
  return (
    <form className="workload-form" aria-label="Workload and hardware" onSubmit={(e) => e.preventDefault()}>
      <PresetPicker />
      <WorkloadFields />
      {warnings.map((warning) => (
        <p key={warning} role="alert" className="field-warning">
          {warning}
        </p>
      ))}
      <ServingFields />
      <ServingShapeFields />
      <ServingShapeChoice />
      <SloFields />
      <GpuFields />
    </form>
  );
}
