/** Every workload and hardware input, in four groups; each field writes to the store on its own. */
import { GpuFields } from './GpuFields';
import { ServingFields } from './ServingFields';
import { SloFields } from './SloFields';
import { WorkloadFields } from './WorkloadFields';

export function WorkloadForm() {
  return (
    <form className="workload-form" aria-label="Workload and hardware" onSubmit={(e) => e.preventDefault()}>
      <WorkloadFields />
      <ServingFields />
      <SloFields />
      <GpuFields />
    </form>
  );
}
