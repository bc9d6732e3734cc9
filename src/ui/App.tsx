/**
 * The page: header, notices, inputs on the left (top on narrow screens), results in the main
 * column, and what the estimates assume. Layout only; each part selects its own slice of the store.
 */
import { Header } from './Header';
import { ModelPicker } from './inputs/ModelPicker';
import { ModelStatus } from './inputs/ModelStatus';
import { ModelSummary } from './inputs/ModelSummary';
import { PasteConfigDialog } from './inputs/PasteConfigDialog';
import { WorkloadForm } from './inputs/WorkloadForm';
import { Notices } from './Notices';
import { ResultsPane } from './ResultsPane';
import { ScenariosPanel } from './inputs/ScenariosPanel';
import { CustomGpuPanel } from './inputs/CustomGpuPanel';
import { LogDoctor } from './doctor/LogDoctor';

/** Keyboard and phone users reach the verdict without passing every input. */
function jumpToResults(): void {
  const main = document.getElementById('results');
  main?.focus();
  main?.scrollIntoView({ block: 'start' });
}

export function App() {
  return (
    <div className="app">
      <Header />
      <Notices />
      {/* A button, not an #anchor: the URL fragment holds the inputs (state/urlCodec.ts). */}
      <button type="button" className="skip-link" onClick={jumpToResults}>
        Skip to the answer
      </button>
      <div className="layout">
        <aside className="inputs" aria-label="Inputs">
          <ModelPicker />
          <ModelStatus />
          <ModelSummary />
          <WorkloadForm />
          <CustomGpuPanel />
          <ScenariosPanel />
        </aside>
        <main className="results" id="results" tabIndex={-1}>
          <ResultsPane />
          <LogDoctor />
        </main>
      </div>
      <footer className="app-footer">
        <p>
          Estimates, not measurements. Memory follows vLLM's start-up accounting (V1 engine, 0.19+): weights, activation peak,
          non-torch memory and CUDA graphs, the rest of <code>--gpu-memory-utilization</code> for the KV cache. Speed is a roofline
          model calibrated on published benchmarks; prices are on-demand list prices per GPU-hour. Your inputs stay in this page
          and its link; a Hugging Face token stays in this tab.
        </p>
      </footer>
      <PasteConfigDialog />
    </div>
  );
}
