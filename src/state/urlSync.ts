/**
 * Mirrors the inputs into the URL fragment, and reads a fragment the user pastes into this tab or
 * reaches with Back / Forward (hashchange, popstate). An input change pushes a history entry, so
 * Back steps through the user's changes (issue 14); changes within HISTORY_COALESCE_MS of the last
 * entry (typing a number digit by digit) and selection- or compare-only changes replace it instead. The token
 * is not an input: it never reaches the URL.
 */
import { gpuIdsWithCustom } from './customGpus';
import { noticesFrom } from './notices';
import type { AppStoreApi } from './store';
import { decodeInputs, encodeInputs, type DecodeContext } from './urlCodec';
import type { Inputs } from './inputs';

/** What the page needs of `window`; tests pass a fake. */
export interface UrlFragmentPort {
  read(): string;
  /** Replaces the current history entry's fragment (history.replaceState). */
  replace(fragment: string): void;
  /** Adds a history entry with this fragment (history.pushState). */
  push(fragment: string): void;
  /** Calls back when the user changes the fragment; returns an unsubscribe. */
  onExternalChange(listener: () => void): () => void;
}

export function browserFragmentPort(win: Window): UrlFragmentPort {
  return {
    read: () => win.location.hash,
    replace: (fragment) => win.history.replaceState(win.history.state, '', `#${fragment}`),
    push: (fragment) => win.history.pushState(null, '', `#${fragment}`),
    onExternalChange: (listener) => {
      // Back / Forward between pushed entries fires popstate (and hashchange in most browsers): the listener ignores repeats.
      win.addEventListener('hashchange', listener);
      win.addEventListener('popstate', listener);
      return () => {
        win.removeEventListener('hashchange', listener);
        win.removeEventListener('popstate', listener);
      };
    },
  };
}

/** The inputs without what only changes the view (the selected row, the compared rows): such changes replace the history entry. */
function withoutViewState(inputs: Inputs): Inputs {
  return { ...inputs, selectedConfig: null, compareConfigs: [] };
}

/** Input changes closer together than this amend the last history entry (one entry per edit, not per keystroke). */
export const HISTORY_COALESCE_MS = 1000;

export function startUrlSync(store: AppStoreApi, port: UrlFragmentPort, ctx: DecodeContext, nowMs: () => number = () => Date.now()): () => void {
  let written = encodeInputs(store.getState().inputs);
  let writtenWithoutSelection = encodeInputs(withoutViewState(store.getState().inputs));
  let lastPushMs = -Infinity;
  // Normalize the address bar at once: rejected values (already reported as notices) disappear.
  if (port.read().replace(/^#/, '') !== written) port.replace(written);

  const unsubscribe = store.subscribe((state) => {
    const next = encodeInputs(state.inputs);
    if (next === written) return;
    const nextWithoutSelection = encodeInputs(withoutViewState(state.inputs));
    const now = nowMs();
    if (nextWithoutSelection !== writtenWithoutSelection && now - lastPushMs >= HISTORY_COALESCE_MS) {
      port.push(next);
      lastPushMs = now;
    } else {
      port.replace(next);
    }
    written = next;
    writtenWithoutSelection = nextWithoutSelection;
  });
  const stopListening = port.onExternalChange(() => {
    const fragment = port.read();
    if (fragment.replace(/^#/, '') === written) return;
    const state = store.getState();
    // The user's custom GPUs may be named by a link made in this browser.
    const decoded = decodeInputs(fragment, { ...ctx, knownGpuIds: gpuIdsWithCustom(ctx.knownGpuIds, state.customGpus) });
    // What the address bar now shows is what is written: restoring it must not push a new entry.
    written = encodeInputs(decoded.inputs);
    writtenWithoutSelection = encodeInputs(withoutViewState(decoded.inputs));
    state.replaceInputs(decoded.inputs);
    if (decoded.notices.length > 0) state.addNotices(noticesFrom('link', decoded.notices));
  });
  return () => {
    unsubscribe();
    stopListening();
  };
}
