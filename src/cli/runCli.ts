/**
 * The CLI as a function: argv in, exit code out, all IO injected (tests call it in-process).
 * This file parses and answers help and usage errors; the commands' work (execute.ts: the engine
 * session, the Hub client) is imported only when a command runs, which keeps `gpu-fit --help` fast.
 */
import { parseArgs } from 'node:util';
import { canonicalArgs } from './argv';
import { COMMANDS, commandHelp, globalHelp, isCommandName, parseArgsOptions } from './commands';
import { readBoolean, type FlagValues } from './flags';
import type { CliIo } from './io';

export type { CliIo } from './io';

/** First line of an error only: the contract is one line on stderr. */
function oneLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

const HELP_WORDS: readonly (string | undefined)[] = ['--help', '-h', 'help'];

/**
 * Runs one CLI invocation. Returns the process exit code: 0 ok, 1 model or engine error, 2 usage error.
 * Never throws for bad input; an exception escaping here is a bug.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || HELP_WORDS.includes(first)) {
    if (first === undefined) {
      io.stderr(globalHelp());
      return 2;
    }
    io.stdout(globalHelp());
    return 0;
  }
  if (!isCommandName(first)) {
    io.stderr(`error: unknown command "${first}"; commands: ${Object.keys(COMMANDS).join(', ')} (see --help)`);
    return 2;
  }
  const args = canonicalArgs(first, rest);
  if (!args.ok) {
    io.stderr(`error: ${args.error.message}`);
    return 2;
  }
  let values: FlagValues;
  try {
    // parseArgs throws TypeError with an ERR_PARSE_ARGS_* code for missing values and stray arguments.
    values = parseArgs({ args: args.value, options: parseArgsOptions(first), allowPositionals: false, strict: true }).values;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    io.stderr(`error: ${oneLine(message)} (see ${first} --help)`);
    return 2;
  }
  if (readBoolean(values, 'help')) {
    io.stdout(commandHelp(first));
    return 0;
  }
  const { execute } = await import('./execute');
  const result = await execute(first, values, io);
  if (!result.ok) {
    io.stderr(`error: ${oneLine(result.error.message)}`);
    return result.error.exitCode;
  }
  io.stdout(readBoolean(values, 'json') ? JSON.stringify(result.value.json, null, 2) : result.value.text);
  return 0;
}
