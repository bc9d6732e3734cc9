/**
 * What the CLI touches outside itself, injected so tests run in-process without a subprocess or the network
 * (STYLE.md habit 9).
 */
import { readFile } from 'node:fs/promises';
import { err, ok, type Result } from '../engine/result';

export interface CliIo {
  /** Receives whole blocks of text; a trailing newline is added by the caller. */
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Reads a UTF-8 file; the error is a one-line reason ("no such file"). */
  readTextFile: (path: string) => Promise<Result<string, string>>;
  env: Readonly<Record<string, string | undefined>>;
  /** Used for Hub requests (`--model`); defaults to the global fetch. */
  fetch?: typeof fetch;
}

function reasonOf(e: unknown): string {
  if (typeof e === 'object' && e !== null && 'code' in e) {
    if (e.code === 'ENOENT') return 'no such file';
    if (e.code === 'EISDIR') return 'is a directory';
    if (e.code === 'EACCES') return 'permission denied';
  }
  return e instanceof Error ? e.message : String(e);
}

export async function readTextFileFromDisk(path: string): Promise<Result<string, string>> {
  try {
    return ok(await readFile(path, 'utf8'));
  } catch (e) {
    return err(reasonOf(e));
  }
}

export function nodeIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(`${text}\n`),
    stderr: (text) => process.stderr.write(`${text}\n`),
    readTextFile: readTextFileFromDisk,
    env: process.env,
  };
}
