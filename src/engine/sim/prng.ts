/**
 * The simulator's randomness: a small seeded generator and the draws the loads need (uniform,
 * normal, gamma). Same seed, same sequence, on every platform: the simulator is reproducible.
 *
 * mulberry32 (Tommy Ettinger, public domain; the 32-bit generator bryc's "PRNGs" collection
 * popularised, github.com/bryc/code/blob/master/jshash/PRNGs.md): one 32-bit state, period 2^32,
 * passes gjrand/PractRand to a few GB. Its weakness (2^32 period, some seeds correlate) does not
 * matter here: a run draws a few thousand numbers, and seeds are mixed through splitmix32 first.
 */

/** A seeded generator: `next()` is uniform on [0, 1); the state is one uint32 in a typed array (no boxing). */
export interface Prng {
  readonly state: Uint32Array;
}

/** splitmix32 finaliser (Steele, Lea, Flood 2014, 32-bit variant): spreads nearby seeds (1, 2, 3…) apart. */
function mixSeed(seed: number): number {
  let z = (seed + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

export function createPrng(seed: number): Prng {
  const state = new Uint32Array(1);
  state[0] = mixSeed(Math.trunc(seed));
  return { state };
}

/** 2^-32: turns a uint32 into [0, 1). */
const UINT32_TO_UNIT = 1 / 4294967296;

/** mulberry32: uniform on [0, 1). */
export function uniform(rng: Prng): number {
  const s = rng.state;
  const next = ((s[0] ?? 0) + 0x6d2b79f5) | 0;
  s[0] = next;
  let t = Math.imul(next ^ (next >>> 15), next | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) * UINT32_TO_UNIT;
}

/**
 * A uniform on (0, 1] from three integers with no state (splitmix32 finalisers chained): the same
 * (seed, a, b) always gives the same number, whatever else was drawn before. The simulator draws a
 * request's speculative acceptance at (seed, request, tokens generated): a request accepts the same
 * drafts at the same positions in every run of a seed, whatever the schedule (common random numbers).
 */
export function hashUniform(seed: number, a: number, b: number): number {
  const h = mixSeed((mixSeed((mixSeed(Math.trunc(seed)) ^ Math.trunc(a)) | 0) ^ Math.trunc(b)) | 0);
  return 1 - h * UINT32_TO_UNIT;
}

/** Uniform on (0, 1]: safe under a logarithm. */
function uniformOpenZero(rng: Prng): number {
  return 1 - uniform(rng);
}

/** Integer uniform on [lo, hi] inclusive (numpy's randint(lo, hi + 1), as vllm bench serve draws lengths). */
export function uniformInt(rng: Prng, lo: number, hi: number): number {
  if (hi <= lo) return lo;
  return lo + Math.floor(uniform(rng) * (hi - lo + 1));
}

/** Standard normal by Box–Muller (one of the pair; the other is discarded to keep the state one number). */
export function standardNormal(rng: Prng): number {
  const u = uniformOpenZero(rng);
  const v = uniform(rng);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/**
 * Gamma(shape, scale = 1) by Marsaglia & Tsang, "A simple method for generating gamma variables"
 * (ACM TOMS 26(3), 2000): rejection from a transformed normal, ~1.03 normals per draw at shape ≥ 1.
 * For shape < 1 the paper's boost: Gamma(a) = Gamma(a + 1) · U^(1/a).
 */
export function gamma(rng: Prng, shape: number): number {
  if (!(shape > 0)) throw new Error(`gamma shape must be > 0, got ${shape}`);
  if (shape < 1) return gamma(rng, shape + 1) * Math.pow(uniformOpenZero(rng), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = standardNormal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = uniformOpenZero(rng);
    // Squeeze first (cheap), then the exact log test.
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}
