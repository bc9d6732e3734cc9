import { describe, expect, it } from 'vitest';
import { runEngineMemoryValidation } from './memoryEngines';

/**
 * The logged SGLang and TensorRT-LLM starts (fixtures/truth/engine_memory_calibration.csv) stay within
 * the errors measured when the plans were fitted (`npm run validate memory`, engine section): SGLang's
 * pool rule on the logs' own inputs 0.6 % at worst (2-decimal GB rounding of the inputs), whole plans
 * from the config 1.2 % at worst (Qwen3-235B-FP8, 4 × H100), start-up memory 0.7 %; TensorRT-LLM's
 * fraction rule 0.03 %.
 */
describe('engine memory validation', () => {
  const { comparisons, medianAbsErrorPct } = runEngineMemoryValidation({ print: false });
  const worst = (engine: string, check: string, quantity: string): number =>
    Math.max(...comparisons.filter((c) => c.engine === engine && c.check === check && c.quantity === quantity).map((c) => Math.abs(c.errorPct)));

  it('evaluates every SGLang and TensorRT-LLM row it has inputs for', () => {
    expect(medianAbsErrorPct['sglang rule tokens']?.n).toBe(4);
    expect(medianAbsErrorPct['sglang plan tokens']?.n).toBe(3);
    expect(medianAbsErrorPct['sglang startup free before load GiB']?.n).toBe(4);
    expect(medianAbsErrorPct['trtllm rule KV GiB']?.n).toBe(2);
  });

  it('SGLang: rule within 1 %, whole plans within 2 %, start-up memory within 1 %', () => {
    expect(worst('sglang', 'rule', 'tokens')).toBeLessThan(1);
    expect(worst('sglang', 'plan', 'tokens')).toBeLessThan(2);
    expect(worst('sglang', 'plan', 'KV GiB')).toBeLessThan(2);
    expect(worst('sglang', 'startup', 'free before load GiB')).toBeLessThan(1);
  });

  it('TensorRT-LLM: the fraction rule within 0.1 %', () => {
    expect(worst('trtllm', 'rule', 'KV GiB')).toBeLessThan(0.1);
  });
});
