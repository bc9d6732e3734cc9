/**
 * Tests only: a real published config from the project's fixtures (fixtures/hf/<org>__<name>/config.json)
 * parsed into a ModelArch, throwing on a parse error (a broken fixture is a test bug). Reads files with
 * node:fs, so tsconfig.engine.json excludes `*.testing.ts` as it excludes the tests themselves.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from './arch/parseConfig';
import { parseConfigJson } from './arch/parseConfigJson';
import type { ModelArch } from './types';

export function fixtureArch(dir: string): ModelArch {
  const raw = parseConfigJson(readFileSync(join(__dirname, '..', '..', 'fixtures', 'hf', dir, 'config.json'), 'utf8'));
  if (!raw.ok) throw new Error(raw.error.kind);
  const arch = parseConfig(raw.value, { modelId: dir.replace('__', '/') });
  if (!arch.ok) throw new Error(JSON.stringify(arch.error));
  return arch.value;
}
