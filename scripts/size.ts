/**
 * `npm run size`: the JavaScript a first visit downloads before the page can render (the entry
 * chunk referenced by dist/index.html plus its static imports and modulepreloads), gzip-compressed,
 * against the 300 KB budget (issue 5); lazy chunks (charts) and the worker are listed apart.
 * Run after `npm run build`. Exits 1 when the initial JS is over budget.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const DIST = join(process.cwd(), 'dist');
const BUDGET_INITIAL_GZIP_BYTES = 300 * 1000; // "300 KB" as the issue states it (10^3)

const gzipBytes = (file: string): number => gzipSync(readFileSync(join(DIST, file)), { level: 9 }).length;
const kb = (bytes: number): string => `${(bytes / 1000).toFixed(1)} KB`;

const html = readFileSync(join(DIST, 'index.html'), 'utf8');
const entries = [...html.matchAll(/(?:src|href)="\.?\/?(assets\/[^"]+\.js)"/g)].map((m) => m[1] ?? '');

/** Static imports (`import … from "./x.js"` / `import"./x.js"`) of a chunk, transitively: loaded before it runs. */
function staticClosure(start: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const queue = [...start];
  while (queue.length > 0) {
    const file = queue.pop() ?? '';
    if (seen.has(file)) continue;
    seen.add(file);
    const code = readFileSync(join(DIST, file), 'utf8');
    for (const m of code.matchAll(/(?:^|[;\s}])import\s*(?:[\w${},\s*]+from\s*)?["']\.\/([^"']+\.js)["']/g)) {
      queue.push(`assets/${m[1] ?? ''}`);
    }
  }
  return seen;
}

const initial = staticClosure(entries);
const all = readdirSync(join(DIST, 'assets')).filter((f) => f.endsWith('.js')).map((f) => `assets/${f}`);
let initialGzip = 0;
let totalGzip = 0;
console.log('[size] chunk                                   raw        gzip   loaded');
for (const file of all.sort()) {
  const raw = readFileSync(join(DIST, file)).length;
  const gz = gzipBytes(file);
  totalGzip += gz;
  const when = initial.has(file) ? 'initial' : file.includes('worker') ? 'worker' : 'lazy';
  if (when === 'initial') initialGzip += gz;
  console.log(`[size] ${file.padEnd(40)} ${kb(raw).padStart(10)} ${kb(gz).padStart(10)}   ${when}`);
}
console.log(`[size] initial JS (gzip): ${kb(initialGzip)} (budget ${kb(BUDGET_INITIAL_GZIP_BYTES)}); all JS (gzip): ${kb(totalGzip)}`);
if (initialGzip > BUDGET_INITIAL_GZIP_BYTES) {
  console.error('[size] initial JS is over budget');
  process.exit(1);
}
