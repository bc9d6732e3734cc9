/**
 * The page: skip links, header, notices, inputs on the left, results in the main column, and what the
 * estimates assume. Below 900 px (theme.css) the inputs and the results are two tabs, the results
 * first, so a phone shows the answer on its first screen. Layout only; each part selects its own
 * slice of the store.
 */
import { useState } from 'react';
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

/** The two panes; on narrow screens one shows at a time (theme.css `.layout[data-tab]`). */
const PANES = [
  { id: 'results', label: 'Results' },
  { id: 'inputs', label: 'Inputs' },
] as const;
type Pane = (typeof PANES)[number]['id'];

/** Keyboard and phone users reach the verdict without passing every input. */
function jumpToResults(): void {
  const main = document.getElementById('results');
  main?.focus();
  main?.scrollIntoView({ block: 'start' });
}

/** …and the table's current row (ResultsTable's roving tab stop), from which the arrow keys move. */
function jumpToTable(): void {
  const row = document.querySelector<HTMLElement>('.results-table tbody tr[tabindex="0"]');
  if (row === null) {
    jumpToResults();
    return;
  }
  row.focus();
  row.scrollIntoView({ block: 'nearest' });
}

export function App() {
  const [pane, setPane] = useState<Pane>('results');
  // The skip links first show the results pane (a no-op on wide screens), then move focus once it is drawn.
  const skipTo = (jump: () => void) => () => {
    setPane('results');
    requestAnimationFrame(jump);
  };
  return (
    <div className="app">
      {/* Buttons, not #anchors: the URL fragment holds the inputs (state/urlCodec.ts). */}
      <nav className="skip-links" aria-label="Skip links">
        <button type="button" className="skip-link" onClick={skipTo(jumpToResults)}>
          Skip to the answer
        </button>
        <button type="button" className="skip-link" onClick={skipTo(jumpToTable)}>
          Skip to the table
        </button>
      </nav>
      <Header />
      <Notices />
      <div className="pane-tabs" role="tablist" aria-label="Inputs or results">
        {PANES.map(({ id, label }) => (
          <button
            key={id}
            type="button"
            role="tab"
            id={`tab-${id}`}
            aria-selected={pane === id}
            aria-controls={id}
            tabIndex={pane === id ? 0 : -1}
            onClick={() => setPane(id)}
            onKeyDown={(event) => {
              // The tab pattern's arrow keys (WAI-ARIA APG "Tabs"): two tabs, so either arrow switches.
              if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
              event.preventDefault();
              const other = id === 'results' ? 'inputs' : 'results';
              setPane(other);
              document.getElementById(`tab-${other}`)?.focus();
            }}
          >
            {label}
          </button>
        ))}
      </div>
      <div className="layout" data-tab={pane}>
        <aside className="inputs" id="inputs" aria-label="Inputs">
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
