/**
 * JSON.parse for Hugging Face config files. Python's `json.dump` writes bare `Infinity`, `-Infinity`
 * and `NaN` (allow_nan=True is its default), and real configs carry them: Nemotron-H's
 * `time_step_limit: [0.0, Infinity]`. Strict JSON rejects those, so we rewrite them outside strings
 * to sentinel strings and turn them back into numbers after parsing.
 */
import { err, ok } from '../result';
import type { ConfigError, Result } from '../types';

const SENTINELS: Record<string, number> = {
  '\u0000+Infinity': Number.POSITIVE_INFINITY,
  '\u0000-Infinity': Number.NEGATIVE_INFINITY,
  '\u0000NaN': Number.NaN,
};

/** Rewrites bare Infinity / -Infinity / NaN tokens (outside strings) to sentinel strings. */
function quoteNonFiniteLiterals(text: string): string {
  let out = '';
  let i = 0;
  let inString = false;
  while (i < text.length) {
    const ch = text[i];
    if (inString) {
      out += ch;
      if (ch === '\\') {
        out += text[i + 1] ?? '';
        i += 2;
        continue;
      }
      if (ch === '"') inString = false;
      i += 1;
      continue;
    }
    if (ch === '"') {
      inString = true;
      out += ch;
      i += 1;
      continue;
    }
    if (text.startsWith('-Infinity', i)) {
      out += '"\\u0000-Infinity"';
      i += 9;
    } else if (text.startsWith('Infinity', i)) {
      out += '"\\u0000+Infinity"';
      i += 8;
    } else if (text.startsWith('NaN', i)) {
      out += '"\\u0000NaN"';
      i += 3;
    } else {
      out += ch;
      i += 1;
    }
  }
  return out;
}

/** Line and column (1-based) of a character offset. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i += 1) {
    if (text[i] === '\n') {
      line += 1;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * Where the parser stopped. V8 messages say "… at position N" or "(line L column C)"; we locate
 * the error ourselves on the ORIGINAL text so rewritten literals do not shift the column.
 */
function locateError(text: string): number {
  // Walk a minimal JSON grammar to find the first offending offset.
  let i = 0;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i] ?? '')) i += 1;
  };
  const fail = (): never => {
    throw i;
  };
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else fail();
  };
  const str = () => {
    i += 1;
    while (i < text.length && text[i] !== '"') {
      const c = text.charCodeAt(i);
      if (c < 0x20) fail();
      i += text[i] === '\\' ? 2 : 1;
    }
    if (i >= text.length) fail();
    i += 1;
  };
  const num = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!m || m[0].length === 0 || m[0] === '-') fail();
    else i += m[0].length;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i += 1;
      ws();
      if (text[i] === '}') {
        i += 1;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        str();
        ws();
        if (text[i] !== ':') fail();
        i += 1;
        value();
        ws();
        if (text[i] === ',') {
          i += 1;
          continue;
        }
        if (text[i] === '}') {
          i += 1;
          return;
        }
        fail();
      }
    } else if (c === '[') {
      i += 1;
      ws();
      if (text[i] === ']') {
        i += 1;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text[i] === ',') {
          i += 1;
          continue;
        }
        if (text[i] === ']') {
          i += 1;
          return;
        }
        fail();
      }
    } else if (c === '"') str();
    else if (c === 't') literal('true');
    else if (c === 'f') literal('false');
    else if (c === 'n') literal('null');
    else if (c === 'N') literal('NaN');
    else if (c === 'I') literal('Infinity');
    else if (c === '-' && text.startsWith('-Infinity', i)) literal('-Infinity');
    else num();
  };
  try {
    value();
    ws();
    if (i < text.length) fail();
  } catch (at) {
    if (typeof at === 'number') return at;
    throw at;
  }
  return text.length;
}

export function parseConfigJson(text: string): Result<unknown, ConfigError> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(quoteNonFiniteLiterals(text), (_key, value: unknown) =>
      typeof value === 'string' && value in SENTINELS ? SENTINELS[value] : value,
    );
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    const { line, column } = lineColumn(text, locateError(text));
    return err({ kind: 'malformed-json', detail, line, column });
  }
  return ok(parsed);
}
