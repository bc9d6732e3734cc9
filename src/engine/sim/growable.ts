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
