/** An append-only Float64Array that doubles when full: per-step records without a per-step allocation. */
export interface GrowableF64 {
  data: Float64Array;
  length: number;
}

export const growableF64 = (capacity = 256): GrowableF64 => ({ data: new Float64Array(Math.max(1, capacity)), length: 0 });

export function pushF64(g: GrowableF64, x: number): void {
  if (g.length === g.data.length) {
    const next = new Float64Array(g.data.length * 2);
    next.set(g.data);
    g.data = next;
  }
  g.data[g.length] = x;
  g.length += 1;
}

/** The filled part (a view, no copy). */
export const viewF64 = (g: GrowableF64): Float64Array => g.data.subarray(0, g.length);

/** Per-step records, one growable column each, grown together (one capacity check per step). */
export interface StepLog {
  length: number;
  endMs: Float64Array;
  durationMs: Float64Array;
  kvBlocksUsed: Float64Array;
  waiting: Float64Array;
  running: Float64Array;
  tokens: Float64Array;
}

export function stepLog(capacity = 1024): StepLog {
  const c = Math.max(1, capacity);
  return {
    length: 0,
    endMs: new Float64Array(c),
    durationMs: new Float64Array(c),
    kvBlocksUsed: new Float64Array(c),
    waiting: new Float64Array(c),
    running: new Float64Array(c),
    tokens: new Float64Array(c),
  };
}

const grown = (a: Float64Array): Float64Array => {
  const next = new Float64Array(a.length * 2);
  next.set(a);
  return next;
};

export function pushStep(log: StepLog, endMs: number, durationMs: number, kvBlocksUsed: number, waiting: number, running: number, tokens: number): void {
  const i = log.length;
  if (i === log.endMs.length) {
    log.endMs = grown(log.endMs);
    log.durationMs = grown(log.durationMs);
    log.kvBlocksUsed = grown(log.kvBlocksUsed);
    log.waiting = grown(log.waiting);
    log.running = grown(log.running);
    log.tokens = grown(log.tokens);
  }
  log.endMs[i] = endMs;
  log.durationMs[i] = durationMs;
  log.kvBlocksUsed[i] = kvBlocksUsed;
  log.waiting[i] = waiting;
  log.running[i] = running;
  log.tokens[i] = tokens;
  log.length = i + 1;
}
