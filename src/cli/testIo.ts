/** The CLI tests' in-process IO (tests only). */
import { ok } from '../engine/result';
import { readTextFileFromDisk, type CliIo } from './io';

export interface Captured {
  io: CliIo;
  out: () => string;
  errText: () => string;
  /** Each write, as made (a test of "one line on stderr" counts them). */
  stdoutWrites: readonly string[];
  stderrWrites: readonly string[];
}

/** An in-process IO: captured stdout/stderr, a few virtual files over the real fixtures, no network. */
export function captureIo(opts: { files?: Record<string, string>; env?: Record<string, string>; fetch?: typeof fetch } = {}): Captured {
  const out: string[] = [];
  const errs: string[] = [];
  const files = opts.files ?? {};
  const io: CliIo = {
    stdout: (t) => out.push(t),
    stderr: (t) => errs.push(t),
    readTextFile: async (path) => {
      const virtual = files[path];
      return virtual !== undefined ? ok(virtual) : readTextFileFromDisk(path);
    },
    env: opts.env ?? {},
    fetch:
      opts.fetch ??
      (async () => {
        throw new TypeError('fetch failed');
      }),
  };
  return { io, out: () => out.join('\n'), errText: () => errs.join('\n'), stdoutWrites: out, stderrWrites: errs };
}
