/**
 * Entry point: reads the link (URL fragment) and this tab's token, creates the store, starts its
 * effects (Hub loading, the engine worker, URL sync) and renders the page.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { GPU_IDS } from './engine/catalog/gpus';
import { fetchModelFiles } from './hub/fetchModel';
import { startAppEffects } from './state/effects';
import { createAppStore } from './state/store';
import { browserLocalStorage, readThemePreference } from './state/themeStorage';
import { browserSessionStorage, readToken } from './state/tokenStorage';
import { decodeInputs } from './state/urlCodec';
import { readSavedWork, withRememberedPrices } from './state/savedWork';
import { gpuIdsWithCustom } from './state/customGpus';
import { noticesFrom } from './state/notices';
import { browserFragmentPort } from './state/urlSync';
import { AppStoreProvider } from './state/useAppStore';
import { App } from './ui/App';
import { createEngineClient } from './worker/client';
import './ui/theme.css';

const session = browserSessionStorage();
const local = browserLocalStorage();
const saved = readSavedWork(local, GPU_IDS);
// A link made in this browser may name its custom GPUs (ids "custom:…").
const decodeContext = { knownGpuIds: gpuIdsWithCustom(GPU_IDS, saved.work.customGpus) };
const fromLink = decodeInputs(window.location.hash, decodeContext);
const store = createAppStore({
  // A link's own price overrides win; without any, the prices this browser remembers apply.
  inputs: withRememberedPrices(fromLink.inputs, saved.work),
  notices: [...noticesFrom('link', fromLink.notices), ...noticesFrom('saved-data', saved.notice === null ? [] : [saved.notice])],
  hubToken: readToken(session),
  theme: readThemePreference(local),
  scenarios: saved.work.scenarios,
  customGpus: saved.work.customGpus,
});

const engine = createEngineClient();
startAppEffects(store, {
  fetchModelFiles,
  session,
  engine,
  capacityEngine: engine,
  disaggEngine: engine,
  url: browserFragmentPort(window),
  decodeContext,
  local,
});

const rootElement = document.getElementById('root');
if (rootElement === null) throw new Error('index.html has no #root element');
createRoot(rootElement).render(
  <StrictMode>
    <AppStoreProvider store={store}>
      <App />
    </AppStoreProvider>
  </StrictMode>,
);
