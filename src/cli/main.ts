/**
 * Node entry: `npm run -s cli -- <command> [flags]` (tsx src/cli/main.ts). See runCli.ts.
 */
import { nodeIo } from './io';
import { runCli } from './runCli';

process.exitCode = await runCli(process.argv.slice(2), nodeIo());
