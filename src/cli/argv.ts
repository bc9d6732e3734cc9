/**
 * argv before `parseArgs`: every spelling of a flag (ours and vLLM's, commands.ts `aliases`) turned
 * into its canonical `--name`, unknown flags refused with the nearest known spelling ("did you mean
 * --gpu-mem-util?"), and `--tp -1` joined into `--tp=-1` so the flag readers say what is wrong with
 * the value. vLLM's single-dash abbreviations (`-tp 2`) cannot go through parseArgs as they are:
 * it would read `-tp` as the short flags `-t -p`.
 */
import { err, ok, type Result } from '../engine/result';
import { COMMAND_NAMES, flagsOf, isCommandName, type CommandName } from './commands';
import type { UsageError } from './flags';

/** Suggest a spelling at most this many single-character edits away (insert, delete, substitute, swap). */
export const MAX_SUGGESTION_EDITS = 2;

/** Every spelling of a command's flags as typed ("--tp", "-tp", "--tensor-parallel-size") → its canonical name ("tp"). */
export function flagSpellings(command: CommandName): Map<string, string> {
  const spellings = new Map<string, string>();
  for (const [name, spec] of Object.entries(flagsOf(command))) {
    spellings.set(`--${name}`, name);
    for (const alias of spec.aliases ?? []) spellings.set(alias, name);
  }
  return spellings;
}

/** Optimal-string-alignment distance: Levenshtein plus a swap of two neighbours ("--tp" vs "--pt"). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number): number => d[i]?.[j] ?? Infinity;
  for (let i = 1; i < rows; i += 1) {
    for (let j = 1; j < cols; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      const row = d[i];
      if (row !== undefined) row[j] = best;
    }
  }
  return at(a.length, b.length);
}

/** The known spelling nearest to `typed` within MAX_SUGGESTION_EDITS (ties: the table's order, canonical names first), or null. */
export function nearestSpelling(typed: string, spellings: Iterable<string>): string | null {
  let best: string | null = null;
  let bestDistance = MAX_SUGGESTION_EDITS + 1;
  const ordered = [...spellings].sort((x, y) => Number(!x.startsWith('--')) - Number(!y.startsWith('--')));
  for (const spelling of ordered) {
    const distance = editDistance(typed, spelling);
    if (distance < bestDistance) {
      best = spelling;
      bestDistance = distance;
    }
  }
  return best;
}

function unknownFlagMessage(command: CommandName, typed: string, spellings: Map<string, string>): string {
  const suggestion = nearestSpelling(typed, spellings.keys());
  const elsewhere = COMMAND_NAMES.filter((other) => other !== command && isCommandName(other) && flagSpellings(other).has(typed));
  const hint =
    suggestion !== null
      ? `; did you mean ${suggestion}?`
      : elsewhere.length > 0
        ? `; it is a flag of ${elsewhere.join(', ')}`
        : '';
  return `unknown flag ${typed} for ${command}${hint} (see ${command} --help)`;
}

const NEGATIVE_NUMBER = /^-\d|^-\.\d/;

/**
 * The arguments after the command with every flag in its canonical `--name` spelling, or a usage
 * error naming the first unknown flag. Values are left as typed; parseArgs and the flag readers check them.
 */
export function canonicalArgs(command: CommandName, args: readonly string[]): Result<string[], UsageError> {
  const spellings = flagSpellings(command);
  const flags = flagsOf(command);
  const out: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? '';
    if (arg === '--') {
      out.push(...args.slice(i));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      out.push(arg); // a stray positional: parseArgs names it
      continue;
    }
    const eq = arg.indexOf('=');
    const typed = eq < 0 ? arg : arg.slice(0, eq);
    const name = spellings.get(typed);
    if (name === undefined) return err({ kind: 'usage', message: unknownFlagMessage(command, typed, spellings) });
    if (eq >= 0) {
      out.push(`--${name}${arg.slice(eq)}`);
      continue;
    }
    const next = args[i + 1];
    if (flags[name]?.type === 'string' && next !== undefined && (!next.startsWith('-') || NEGATIVE_NUMBER.test(next))) {
      // The value travels with its flag, so a value that starts with '-' is not read as a flag.
      out.push(`--${name}=${next}`);
      i += 1;
      continue;
    }
    out.push(`--${name}`);
  }
  return ok(out);
}
