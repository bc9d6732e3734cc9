/**
 * The import graph of src/, checked as a whole (STYLE.md §1): every import between files follows an
 * allowed arrow, and no files import each other in a cycle. eslint.config.js enforces the same
 * arrows per file as you type (src/layeringLint.test.ts proves those rules fire); this test reads
 * every file, so a layer whose lint glob matches nothing, or a path the patterns miss, still fails.
 *
 * Imports are read with the TypeScript parser (not a regex, so comments and strings do not count):
 * `import … from`, `export … from`, `import x = require()` and `import('…')` with a literal.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const SRC = join(REPO_ROOT, 'src');

const LAYERS = ['engine', 'hub', 'worker', 'state', 'ui', 'cli'] as const;
type Layer = (typeof LAYERS)[number];

/**
 * What each layer may import besides itself: `ui → state → worker → engine`, `state → hub`,
 * `cli → engine (+ hub)`; any layer may import engine types and catalogs.
 */
const MAY_IMPORT: Record<Layer, readonly Layer[]> = {
  engine: [],
  hub: ['engine'],
  worker: ['engine'],
  state: ['worker', 'hub', 'engine'],
  ui: ['state', 'engine'],
  cli: ['engine', 'hub'],
};

/**
 * Arrows the UI may take below state, for types only, as eslint.config.js allows: the worker's
 * protocol types (tests feed ComputeOutcome to the store) and the Hub's error types.
 */
const MAY_IMPORT_TYPES: Partial<Record<Layer, readonly Layer[]>> = { ui: ['worker', 'hub'] };

/** The one runtime arrow from the UI into src/hub: the sentence for a HubError, pure text shared with the CLI. */
const UI_RUNTIME_HUB_FILES = new Set(['src/hub/describe.ts']);

/**
 * Cycles known and to be removed by someone else (files sorted, joined by ' | '). Each entry is a
 * KNOWN EXCEPTION to delete once its fix is merged; the set is meant to stay empty.
 */
const KNOWN_CYCLES: ReadonlySet<string> = new Set([]);

interface Edge {
  from: string;
  /** Repo-relative path of the imported file, or null when it is a package. */
  to: string | null;
  specifier: string;
  typeOnly: boolean;
  /** `import('…')`: loaded on demand, so it cannot make an evaluation cycle. */
  dynamic: boolean;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

const toRepoPath = (absolute: string) => relative(REPO_ROOT, absolute).split(sep).join('/');

/** The file a relative specifier names, as the bundler resolves it (moduleResolution: bundler). */
function resolveSpecifier(fromFile: string, specifier: string): string {
  const base = resolve(dirname(fromFile), specifier);
  const candidates = [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), join(base, 'index.tsx')];
  const found = candidates.find((path) => {
    try {
      return statSync(path).isFile();
    } catch {
      return false;
    }
  });
  if (found === undefined) throw new Error(`${toRepoPath(fromFile)}: cannot resolve '${specifier}'`);
  return toRepoPath(found);
}

function isTypeOnlyImport(node: ts.ImportDeclaration): boolean {
  const clause = node.importClause;
  if (clause === undefined) return false; // a side-effect import runs the module
  if (clause.isTypeOnly) return true;
  const bindings = clause.namedBindings;
  return clause.name === undefined && bindings !== undefined && ts.isNamedImports(bindings) && bindings.elements.length > 0 && bindings.elements.every((e) => e.isTypeOnly);
}

function importsOf(file: string): Edge[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, false, file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const edges: Edge[] = [];
  const add = (specifier: string, typeOnly: boolean, dynamic: boolean) => {
    const to = specifier.startsWith('.') ? resolveSpecifier(file, specifier) : null;
    edges.push({ from: toRepoPath(file), to, specifier, typeOnly, dynamic });
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier.text, isTypeOnlyImport(node), false);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier !== undefined && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier.text, node.isTypeOnly, false);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
      add(node.moduleReference.expression.text, node.isTypeOnly, false);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [argument] = node.arguments;
      if (argument === undefined || !ts.isStringLiteralLike(argument)) throw new Error(`${toRepoPath(file)}: import() of a computed path hides a dependency`);
      add(argument.text, false, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return edges;
}

/** src/<layer>/… → layer; files directly in src/ (main.tsx, the composition root) → null. */
function layerOf(repoPath: string): Layer | null {
  const [top, layer, ...rest] = repoPath.split('/');
  if (top !== 'src' || rest.length === 0) return null;
  const known = LAYERS.find((l) => l === layer);
  if (known === undefined) throw new Error(`${repoPath}: src/${layer} is not a known layer; add it to LAYERS and eslint.config.js`);
  return known;
}

const isTest = (repoPath: string) => /\.test\.tsx?$/.test(repoPath);

/** Why an edge breaks the layering, or null when it is allowed. */
function layeringViolation(edge: Edge): string | null {
  if (edge.to === null) return null; // packages: eslint.config.js restricts those per layer
  const fromLayer = layerOf(edge.from);
  if (fromLayer === null) return null; // the composition root wires every layer together
  if (!edge.to.startsWith('src/')) {
    // Tests may run a generator or script they check (e.g. scripts/bundle-models); shipped code may not.
    return isTest(edge.from) ? null : `${edge.from} imports ${edge.to}, outside src/`;
  }
  const toLayer = layerOf(edge.to);
  if (toLayer === null) return `${edge.from} imports ${edge.to}: nothing imports the composition root`;
  if (toLayer === fromLayer || MAY_IMPORT[fromLayer].includes(toLayer)) return null;
  if (fromLayer === 'ui' && toLayer === 'hub' && UI_RUNTIME_HUB_FILES.has(edge.to)) return null;
  if (edge.typeOnly && (MAY_IMPORT_TYPES[fromLayer] ?? []).includes(toLayer)) return null;
  return `${edge.from} (${fromLayer}) imports ${edge.to} (${toLayer})${edge.typeOnly ? ' (types)' : ''}`;
}

/** Strongly connected components of more than one file, or a file importing itself (Tarjan). */
function importCycles(edges: readonly Edge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const { from, to } of edges) {
    if (to === null) continue;
    next.set(from, [...(next.get(from) ?? []), to]);
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const connect = (node: string) => {
    index.set(node, index.size);
    low.set(node, index.get(node) ?? 0);
    stack.push(node);
    onStack.add(node);
    for (const to of next.get(node) ?? []) {
      if (!index.has(to)) {
        connect(to);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(to) ?? 0));
      } else if (onStack.has(to)) {
        low.set(node, Math.min(low.get(node) ?? 0, index.get(to) ?? 0));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop();
      if (member === undefined) break;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || (next.get(node) ?? []).includes(node)) cycles.push(component.sort());
  };
  for (const node of next.keys()) if (!index.has(node)) connect(node);
  return cycles;
}

const EDGES = sourceFiles(SRC).flatMap(importsOf);

describe('the import graph of src/', () => {
  it('is read from every layer (the walk found files and imports)', () => {
    const layersSeen = new Set(EDGES.map((edge) => layerOf(edge.from)));
    for (const layer of LAYERS) expect(layersSeen).toContain(layer);
    expect(EDGES.some((edge) => edge.typeOnly)).toBe(true);
    expect(EDGES.some((edge) => edge.dynamic)).toBe(true);
  });

  it('imports only along the allowed arrows (ui → state → worker/hub → engine, cli → engine + hub)', () => {
    expect(EDGES.map(layeringViolation).filter((v) => v !== null)).toEqual([]);
  });

  it('has no import cycle between files (static imports, types included)', () => {
    const cycles = importCycles(EDGES.filter((edge) => !edge.dynamic)).map((c) => c.join(' | '));
    expect(cycles.filter((cycle) => !KNOWN_CYCLES.has(cycle))).toEqual([]);
  });
});

describe('the layering checks themselves', () => {
  const edge = (from: string, to: string | null, typeOnly = false): Edge => ({ from, to, specifier: to ?? 'pkg', typeOnly, dynamic: false });

  it('layeringViolation flags an upward or sideways arrow and passes a downward one', () => {
    expect(layeringViolation(edge('src/state/inputs.ts', 'src/ui/results/contract.ts', true))).toMatch(/\(state\) imports .* \(ui\)/);
    expect(layeringViolation(edge('src/hub/describe.ts', 'src/state/store.ts'))).not.toBeNull();
    expect(layeringViolation(edge('src/worker/compute.ts', 'src/state/store.ts'))).not.toBeNull();
    expect(layeringViolation(edge('src/engine/recommend.ts', 'src/hub/errors.ts', true))).not.toBeNull();
    expect(layeringViolation(edge('src/cli/report.ts', 'src/worker/protocol.ts', true))).not.toBeNull();
    expect(layeringViolation(edge('src/ui/App.tsx', 'src/worker/client.ts'))).not.toBeNull();
    expect(layeringViolation(edge('src/ui/App.tsx', 'src/hub/fetchModel.ts'))).not.toBeNull();
    expect(layeringViolation(edge('src/engine/recommend.ts', 'scripts/validate.ts'))).not.toBeNull();
    expect(layeringViolation(edge('src/ui/App.tsx', 'src/worker/protocol.ts', true))).toBeNull();
    expect(layeringViolation(edge('src/ui/errorMessages.ts', 'src/hub/describe.ts'))).toBeNull();
    expect(layeringViolation(edge('src/state/slices.ts', 'src/worker/protocol.ts'))).toBeNull();
    expect(layeringViolation(edge('src/cli/loadModel.ts', 'src/hub/fetchModel.ts'))).toBeNull();
    expect(layeringViolation(edge('src/main.tsx', 'src/ui/App.tsx'))).toBeNull();
  });

  it('importCycles finds a cycle of three files and a self-import, and nothing in a chain', () => {
    expect(importCycles([edge('a', 'b'), edge('b', 'c'), edge('c', 'a'), edge('c', 'd')])).toEqual([['a', 'b', 'c']]);
    expect(importCycles([edge('a', 'a')])).toEqual([['a']]);
    expect(importCycles([edge('a', 'b'), edge('b', 'c'), edge('a', 'c')])).toEqual([]);
  });
});
