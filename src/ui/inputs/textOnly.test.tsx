// @vitest-environment jsdom
/**
 * Model ids, config strings and names the user types are rendered as text only (issue 5): React
 * escapes them, and no code path writes HTML. The bug this guards: a share link or a Hub id such as
 * `<img src=x onerror=alert(1)>` running script in the page of whoever opens it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { act, cleanup, render } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_INPUTS } from '../../state/inputs';
import { buildRecommendRequest } from '../../state/selectors';
import { createAppStore } from '../../state/store';
import { AppStoreProvider } from '../../state/useAppStore';
import { App } from '../App';
import { makeArch, makeResult } from '../results/testData';

const MARKUP_ID = '<img src=x onerror=alert(1)>';
const MARKUP_TEXT = '<script>window.__pwned = 1</script>';
// jsdom gives import.meta.url an http: scheme; vitest runs from the repository root.
const SRC_DIR = join(process.cwd(), 'src');
const THIS_FILE = join(SRC_DIR, 'ui', 'inputs', 'textOnly.test.tsx');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(name) && path !== THIS_FILE ? [path] : [];
  });
}

afterEach(cleanup);

describe('text-only rendering', () => {
  it('no source file writes HTML (dangerouslySetInnerHTML, innerHTML, insertAdjacentHTML, document.write)', () => {
    const offenders = sourceFiles(SRC_DIR).filter((path) => /dangerouslySetInnerHTML|\.(inner|outer)HTML\s*=|insertAdjacentHTML|document\.write/.test(readFileSync(path, 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('a model id and config strings made of markup show as text, and create no element', async () => {
    const store = createAppStore({
      inputs: { ...DEFAULT_INPUTS, modelId: MARKUP_ID },
      scenarios: [{ name: MARKUP_TEXT, fragment: 'v=1', savedAtIso: '2026-11-27T00:00:00.000Z' }],
    });
    render(
      <AppStoreProvider store={store}>
        <App />
      </AppStoreProvider>,
    );
    await act(async () => {
      store.getState().setModel({ status: 'ready', modelId: MARKUP_ID, origin: 'pasted', source: { modelId: MARKUP_ID, config: {} }, paramCountsError: null });
      const arch = makeArch({ modelId: MARKUP_ID, architecture: MARKUP_TEXT, assumptions: [`${MARKUP_TEXT} ignored`] });
      store.getState().setResults({ status: 'ready', view: { arch, request: buildRecommendRequest(store.getState().inputs), result: makeResult(), computeMs: 1 } });
      await new Promise((r) => setTimeout(r, 5));
    });
    const text = document.body.textContent ?? '';
    expect(text).toContain(MARKUP_ID);
    expect(text).toContain(MARKUP_TEXT);
    expect(document.querySelector('img')).toBeNull();
    expect(document.querySelector('script')).toBeNull();
    expect(Reflect.get(window, '__pwned')).toBeUndefined();

    await act(async () => {
      store.getState().setModel({ status: 'error', modelId: MARKUP_ID, error: { kind: 'hub', error: { kind: 'not-found', modelId: MARKUP_ID } } });
      await new Promise((r) => setTimeout(r, 5));
    });
    expect(document.body.textContent).toContain(MARKUP_ID);
    expect(document.querySelector('img')).toBeNull();
  });
});
