/**
 * `npm run build:cli` (part of `npm run build`): the CLI as one Node ESM file, dist/cli/gpu-fit.mjs,
 * with the engine and @huggingface/hub inlined, so `npx gpu-fit …` (package.json `bin`) starts in
 * plain Node without tsx's TypeScript loader (1–1.5 s of start-up, issue 9 part 7).
 *
 * esbuild keeps a module that is reached only through a dynamic import() (runCli.ts → execute.ts:
 * the planner, the perf model, the Hub client) in a lazily run wrapper inside the same file, so
 * `gpu-fit --help` evaluates only the flag table and the few engine constants the help prints.
 */
import { chmodSync, statSync } from 'node:fs';
import { build } from 'esbuild';

export const CLI_BUNDLE_PATH = 'dist/cli/gpu-fit.mjs';

await build({
  entryPoints: ['src/cli/main.ts'],
  outfile: CLI_BUNDLE_PATH,
  bundle: true,
  platform: 'node',
  format: 'esm',
  // package.json engines: node >= 20.19.
  target: 'node20',
  banner: { js: '#!/usr/bin/env node' },
  // Smaller text to parse at every start; names kept so a stack trace still reads.
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
});
// `bin` files must be executable for npx / npm link to run them directly.
chmodSync(CLI_BUNDLE_PATH, 0o755);
console.log(`[build:cli] ${CLI_BUNDLE_PATH} ${(statSync(CLI_BUNDLE_PATH).size / 1000).toFixed(0)} kB`);
