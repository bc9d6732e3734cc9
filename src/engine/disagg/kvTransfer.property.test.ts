import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { GPU_CATALOG } from '../catalog/gpus';
import type { TransferSide } from './kvTransfer';
import { KV_TRANSFER_FIXED_MS, kvTransfer } from './kvTransfer';

const side = (gpuIndex: number, tp: number, pp: number, replicas: number, bytesPerToken: number): TransferSide => {
  const gpu = GPU_CATALOG[gpuIndex % GPU_CATALOG.length];
  if (gpu === undefined) throw new Error('empty catalog');
  return { gpu, layout: { tp, pp }, memory: { kvBytesPerTokenPerGpu: bytesPerToken }, replicas };
};

const sides = fc.record({
  pGpu: fc.nat(),
  dGpu: fc.nat(),
  ptp: fc.constantFrom(1, 2, 4, 8),
  dtp: fc.constantFrom(1, 2, 4, 8),
  pp: fc.constantFrom(1, 2),
  np: fc.integer({ min: 1, max: 8 }),
  nd: fc.integer({ min: 1, max: 8 }),
  bytesPerToken: fc.integer({ min: 1_000, max: 500_000 }),
});

describe('kvTransfer (properties)', () => {
  it('bytes are the decode ranks × per-rank bytes per token × tokens; time grows with the prompt and is at least the fixed cost', () => {
    fc.assert(
      fc.property(sides, fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 1, max: 100_000 }), (s, a, b) => {
        const p = side(s.pGpu, s.ptp, s.pp, s.np, s.bytesPerToken);
        const d = side(s.dGpu, s.dtp, s.pp, s.nd, s.bytesPerToken);
        const ta = kvTransfer(p, d, a);
        const tb = kvTransfer(p, d, b);
        expect(ta.bytesPerRequest).toBe(s.bytesPerToken * a * s.dtp * s.pp);
        expect(ta.msPerRequest).toBeGreaterThanOrEqual(KV_TRANSFER_FIXED_MS);
        if (a <= b) expect(ta.msPerRequest).toBeLessThanOrEqual(tb.msPerRequest);
      }),
    );
  });

  it('inside one NVLink domain the transfer is never slower than across the network for the same pools', () => {
    fc.assert(
      fc.property(sides, fc.integer({ min: 1, max: 100_000 }), (s, tokens) => {
        const p = side(s.pGpu, s.ptp, 1, 1, s.bytesPerToken);
        const d = side(s.pGpu, s.dtp, 1, 1, s.bytesPerToken);
        const near = kvTransfer(p, d, tokens);
        // Enough decode replicas to leave any domain of the catalog (NVL72 included).
        const far = kvTransfer(p, { ...d, replicas: 80 }, tokens);
        expect(far.link.kind).toBe('network');
        if (near.link.kind === 'nvlink') expect(near.msPerRequest).toBeLessThanOrEqual(far.msPerRequest);
      }),
    );
  });
});
