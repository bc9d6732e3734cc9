import { describe, expect, it } from 'vitest';
import { COMMANDS, COMMAND_NAMES, commandHelp, globalHelp, isCommandName, parseArgsOptions } from './commands';
import { checkConcurrency } from '../engine/inputRules';
import { readCountOrKeyword, readEnum, readNumber, requireNumber } from './flags';

describe('COMMANDS table', () => {
  it('documents every flag of every command in the global help and in the command help', () => {
    const help = globalHelp();
    for (const name of COMMAND_NAMES) {
      expect(isCommandName(name)).toBe(true);
      if (!isCommandName(name)) continue;
      const own = commandHelp(name);
      for (const flag of Object.keys(COMMANDS[name].flags)) {
        expect(own, `${name} --${flag}`).toContain(`--${flag}`);
        expect(help, `${name} --${flag}`).toContain(`--${flag}`);
      }
    }
  });

  it('carries the public flag names of the contract', () => {
    const plan = Object.keys(COMMANDS.plan.flags);
    for (const f of ['config', 'params-json', 'gpu', 'tp', 'pp', 'dp', 'max-model-len', 'gpu-mem-util', 'kv-cache-dtype', 'quantization', 'max-num-batched-tokens', 'block-size', 'json', 'model']) {
      expect(plan).toContain(f);
    }
    const estimate = Object.keys(COMMANDS.estimate.flags);
    for (const f of ['isl', 'osl', 'concurrency', 'precision', 'engine', 'kv-cache-dtype', 'max-model-len', 'gpu-mem-util']) {
      expect(estimate).toContain(f);
    }
    const recommend = Object.keys(COMMANDS.recommend.flags);
    for (const f of ['max-ttft-ms', 'max-itl-ms', 'max-e2e-ms', 'max-gpus', 'gpus', 'concurrency', 'engine']) {
      expect(recommend).toContain(f);
    }
  });

  it('turns the table into parseArgs options with the declared types', () => {
    expect(parseArgsOptions('plan').json).toEqual({ type: 'boolean' });
    expect(parseArgsOptions('plan').tp).toEqual({ type: 'string' });
  });
});

describe('flag readers', () => {
  it('requireNumber rejects negatives, fractions where whole numbers are needed, and non-numbers', () => {
    const rule = { integer: true, min: 1 };
    expect(requireNumber({ tp: '-1' }, 'tp', rule).ok).toBe(false);
    expect(requireNumber({ tp: '1.5' }, 'tp', rule).ok).toBe(false);
    expect(requireNumber({ tp: 'two' }, 'tp', rule).ok).toBe(false);
    expect(requireNumber({ tp: '0x10' }, 'tp', rule).ok).toBe(false);
    expect(requireNumber({}, 'tp', rule)).toEqual({ ok: false, error: { kind: 'usage', message: 'missing required flag --tp' } });
    expect(requireNumber({ tp: '4' }, 'tp', rule)).toEqual({ ok: true, value: 4 });
  });

  it('readNumber bounds a utilization to (0, 1]', () => {
    const rule = { above: 0, max: 1 };
    expect(readNumber({ u: '0' }, 'u', rule).ok).toBe(false);
    expect(readNumber({ u: '1.2' }, 'u', rule).ok).toBe(false);
    expect(readNumber({ u: '0.95' }, 'u', rule)).toEqual({ ok: true, value: 0.95 });
    expect(readNumber({}, 'u', rule)).toEqual({ ok: true, value: undefined });
  });

  it('readEnum accepts only the closed set, case-insensitively', () => {
    expect(readEnum({ e: 'SGLang' }, 'e', ['vllm', 'sglang'] as const)).toEqual({ ok: true, value: 'sglang' });
    expect(readEnum({ e: 'tgi' }, 'e', ['vllm', 'sglang'] as const).ok).toBe(false);
  });

  it('readCountOrKeyword takes a positive integer or a keyword', () => {
    expect(readCountOrKeyword({ c: 'max' }, 'c', ['max'] as const, checkConcurrency)).toEqual({ ok: true, value: 'max' });
    expect(readCountOrKeyword({ c: '32' }, 'c', ['max'] as const, checkConcurrency)).toEqual({ ok: true, value: 32 });
    expect(readCountOrKeyword({ c: '0' }, 'c', ['max'] as const, checkConcurrency).ok).toBe(false);
    expect(readCountOrKeyword({ c: 'sweep' }, 'c', ['max'] as const, checkConcurrency).ok).toBe(false);
  });
});
