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
import { browserFragmentPort } from './state/urlSync';
import { AppStoreProvider } from './state/useAppStore';
import { App } from './ui/App';
import { createEngineClient } from './worker/client';
import './ui/theme.css';

const decodeContext = { knownGpuIds: GPU_IDS };
const session = browserSessionStorage();
const fromLink = decodeInputs(window.location.hash, decodeContext);
const store = createAppStore({
  inputs: fromLink.inputs,
  notices: fromLink.notices,
  hubToken: readToken(session),
  theme: readThemePreference(browserLocalStorage()),
});

startAppEffects(store, {
  fetchModelFiles,
  session,
  engine: createEngineClient(),
  url: browserFragmentPort(window),
  decodeContext,
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
