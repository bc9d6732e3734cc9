/**
 * Mirrors the inputs into the URL fragment with history.replaceState (no new history entries), and
 * reads a fragment the user pastes into this tab (hashchange). The token is not an input: it never
 * reaches the URL.
 */
import { gpuIdsWithCustom } from './customGpus';
import { noticesFrom } from './notices';
import type { AppStoreApi } from './store';
import { decodeInputs, encodeInputs, type DecodeContext } from './urlCodec';

/** What the page needs of `window`; tests pass a fake. */
export interface UrlFragmentPort {
  read(): string;
  /** Replaces the current history entry's fragment (history.replaceState). */
  replace(fragment: string): void;
  /** Calls back when the user changes the fragment; returns an unsubscribe. */
  onExternalChange(listener: () => void): () => void;
}

export function browserFragmentPort(win: Window): UrlFragmentPort {
  return {
    read: () => win.location.hash,
    replace: (fragment) => win.history.replaceState(win.history.state, '', `#${fragment}`),
    onExternalChange: (listener) => {
      win.addEventListener('hashchange', listener);
      return () => win.removeEventListener('hashchange', listener);
    },
  };
}

export function startUrlSync(store: AppStoreApi, port: UrlFragmentPort, ctx: DecodeContext): () => void {
  let written = encodeInputs(store.getState().inputs);
  // Normalize the address bar at once: rejected values (already reported as notices) disappear.
  if (port.read().replace(/^#/, '') !== written) port.replace(written);

  const unsubscribe = store.subscribe((state) => {
    const next = encodeInputs(state.inputs);
    if (next === written) return;
    written = next;
    port.replace(next);
  });
  const stopListening = port.onExternalChange(() => {
    const fragment = port.read();
    if (fragment.replace(/^#/, '') === written) return;
    const state = store.getState();
    // The user's custom GPUs may be named by a link made in this browser.
    const decoded = decodeInputs(fragment, { ...ctx, knownGpuIds: gpuIdsWithCustom(ctx.knownGpuIds, state.customGpus) });
    state.replaceInputs(decoded.inputs);
    if (decoded.notices.length > 0) state.addNotices(noticesFrom('link', decoded.notices));
  });
  return () => {
    unsubscribe();
    stopListening();
  };
}
