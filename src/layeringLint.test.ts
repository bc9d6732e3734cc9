/**
 * The layer rules in eslint.config.js fire: a violation planted in each layer is reported, and the
 * arrows the layers are allowed are not. Lints snippets in memory (ESLint's lintText with a virtual
 * path), so nothing is written into src/. The bug this guards: a glob or `files` entry that silently
 * matches nothing, which leaves a layer unchecked while `npx eslint .` stays green.
 */
import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const LAYER_RULES = new Set(['@typescript-eslint/no-restricted-imports', 'no-restricted-syntax']);

// One instance for every case: loading the config is the slow part.
const eslint = new ESLint({ cwd: fileURLToPath(new URL('..', import.meta.url)) });

/** The layer rules a snippet breaks, as if it were the file at `filePath` (relative to the repo root). */
async function layerRulesFired(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  if (result === undefined) throw new Error(`no lint result for ${filePath}`);
  return result.messages.flatMap((m) => (m.ruleId !== null && LAYER_RULES.has(m.ruleId) ? [m.ruleId] : []));
}

const IMPORT_RULE = '@typescript-eslint/no-restricted-imports';

const VIOLATIONS: ReadonlyArray<{ file: string; code: string; rule: string }> = [
  { file: 'src/state/__planted__.ts', code: "import { ResultsTable } from '../ui/results/ResultsTable';", rule: IMPORT_RULE },
  { file: 'src/state/__planted__.ts', code: "import { runCli } from '../cli/runCli';", rule: IMPORT_RULE },
  { file: 'src/hub/__planted__.ts', code: "import { createAppStore } from '../state/store';", rule: IMPORT_RULE },
  { file: 'src/hub/__planted__.ts', code: "import type { ComputeOutcome } from '../worker/protocol';", rule: IMPORT_RULE },
  { file: 'src/hub/__planted__.ts', code: "import { create } from 'zustand';", rule: IMPORT_RULE },
  { file: 'src/worker/__planted__.ts', code: "import { createAppStore } from '../state/store';", rule: IMPORT_RULE },
  { file: 'src/worker/__planted__.ts', code: "import { fetchModelFiles } from '../hub/fetchModel';", rule: IMPORT_RULE },
  { file: 'src/worker/__planted__.ts', code: "import { formatMs } from '../ui/format';", rule: IMPORT_RULE },
  { file: 'src/engine/__planted__.ts', code: "import { formatMs } from '../ui/format';", rule: IMPORT_RULE },
  { file: 'src/engine/perf/__planted__.ts', code: "import type { AppState } from '../../state/store';", rule: IMPORT_RULE },
  { file: 'src/engine/__planted__.ts', code: "import { useState } from 'react';", rule: IMPORT_RULE },
  { file: 'src/engine/__planted__.ts', code: "export const loadGpus = () => import('./catalog/gpus');", rule: 'no-restricted-syntax' },
  { file: 'src/cli/__planted__.ts', code: "import { formatMs } from '../ui/format';", rule: IMPORT_RULE },
  { file: 'src/cli/__planted__.ts', code: "import { createAppStore } from '../state/store';", rule: IMPORT_RULE },
  { file: 'src/cli/__planted__.ts', code: "import { createEngineClient } from '../worker/client';", rule: IMPORT_RULE },
  { file: 'src/ui/__planted__.tsx', code: "import { runCli } from '../cli/runCli';", rule: IMPORT_RULE },
  { file: 'src/ui/results/__planted__.tsx', code: "import { modelInfo } from '@huggingface/hub';", rule: IMPORT_RULE },
  { file: 'src/ui/__planted__.tsx', code: "import { createEngineClient } from '../worker/client';", rule: IMPORT_RULE },
  { file: 'src/ui/inputs/__planted__.tsx', code: "import { fetchModelFiles } from '../../hub/fetchModel';", rule: IMPORT_RULE },
];

const ALLOWED: ReadonlyArray<{ file: string; code: string }> = [
  { file: 'src/ui/__planted__.tsx', code: "import { useAppStore } from '../state/useAppStore';\nimport type { Candidate } from '../engine/types';" },
  { file: 'src/ui/__planted__.tsx', code: "import type { ComputeOutcome } from '../worker/protocol';\nimport type { HubError } from '../hub/errors';" },
  { file: 'src/ui/__planted__.tsx', code: "import { describeHubError } from '../hub/describe';" },
  { file: 'src/ui/results/__planted__.tsx', code: "import { lazy } from 'react';\nexport const Chart = lazy(() => import('./LatencyCostChart'));" },
  { file: 'src/state/__planted__.ts', code: "import { createEngineClient } from '../worker/client';\nimport { fetchModelFiles } from '../hub/fetchModel';\nimport { recommend } from '../engine/recommend';" },
  { file: 'src/worker/__planted__.ts', code: "import { recommend } from '../engine/recommend';\nimport type { ComputeOutcome } from './protocol';" },
  { file: 'src/hub/__planted__.ts', code: "import { modelInfo } from '@huggingface/hub';\nimport type { ModelArch } from '../engine/types';" },
  { file: 'src/cli/__planted__.ts', code: "import { fetchModelFiles } from '../hub/fetchModel';\nimport { recommend } from '../engine/recommend';" },
  { file: 'src/engine/perf/__planted__.ts', code: "import { GiB } from '../units';" },
];

describe('eslint layer rules', () => {
  it.each(VIOLATIONS)('$file: `$code` is reported by $rule', async ({ file, code, rule }) => {
    expect(await layerRulesFired(file, code)).toContain(rule);
  });

  it.each(ALLOWED)('$file: `$code` is an allowed arrow', async ({ file, code }) => {
    expect(await layerRulesFired(file, code)).toEqual([]);
  });
});
