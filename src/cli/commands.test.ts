import { describe, expect, it } from 'vitest';
import { findGpu } from '../engine/catalog/gpus';
import { DEFAULT_SERVING_SETTINGS } from '../engine/defaults';
import { DEFAULT_BLOCK_SIZE_TOKENS, MLA_BLOCK_SIZE_BLACKWELL_TOKENS } from '../engine/memory/kvCache';
import { vllmDefaultMaxNumBatchedTokens, vllmDefaultMaxNumSeqs } from '../engine/memory/servingDefaults';
import { SINGLE_NODE_REPLICA_GPUS } from '../engine/recommend';
import { CAPACITY_NUM_REQUESTS } from '../engine/sim/capacity';
import { DEFAULT_CAPACITY_NUM_REQUESTS, DEFAULT_LAYOUT, DEFAULT_MAX_GPUS, DEFAULT_SERVING_ENGINE } from './cliDefaults';
import { COMMANDS, COMMAND_NAMES, commandHelp, globalHelp, isCommandName, parseArgsOptions, perGpuDefaultText, type CommandName } from './commands';
import { checkConcurrency, checkGpuMemoryUtilization, checkTokenCount } from '../engine/inputRules';
import { readCountOrKeyword, readEnum, readNumber, readRuled, requireRuled } from './flags';

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
  it('requireRuled reads a number and applies a shared input rule (tokens: whole, from 1)', () => {
    expect(requireRuled({ isl: '-1' }, 'isl', checkTokenCount).ok).toBe(false);
    expect(requireRuled({ isl: '1.5' }, 'isl', checkTokenCount).ok).toBe(false);
    expect(requireRuled({ isl: 'two' }, 'isl', checkTokenCount)).toEqual({ ok: false, error: { kind: 'usage', message: '--isl must be a number, got "two"' } });
    expect(requireRuled({ isl: '0x10' }, 'isl', checkTokenCount).ok).toBe(false);
    expect(requireRuled({}, 'isl', checkTokenCount)).toEqual({ ok: false, error: { kind: 'usage', message: 'missing required flag --isl' } });
    expect(requireRuled({ isl: '4' }, 'isl', checkTokenCount)).toEqual({ ok: true, value: 4 });
  });

  it('readRuled bounds a utilization to (0, 1] with the engine rule; readNumber bounds a CLI-only flag', () => {
    expect(readRuled({ u: '0' }, 'u', checkGpuMemoryUtilization).ok).toBe(false);
    expect(readRuled({ u: '1.2' }, 'u', checkGpuMemoryUtilization).ok).toBe(false);
    expect(readRuled({ u: '0.95' }, 'u', checkGpuMemoryUtilization)).toEqual({ ok: true, value: 0.95 });
    expect(readRuled({}, 'u', checkGpuMemoryUtilization)).toEqual({ ok: true, value: undefined });
    const tp = { integer: true, min: 1, max: 1024 };
    expect(readNumber({ tp: '-1' }, 'tp', tp).ok).toBe(false);
    expect(readNumber({ tp: '2048' }, 'tp', tp).ok).toBe(false);
    expect(readNumber({ tp: '4' }, 'tp', tp)).toEqual({ ok: true, value: 4 });
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

describe('help defaults come from the engine', () => {
  /** The help line of one flag of a command. */
  const line = (command: CommandName, flag: string): string => commandHelp(command).split('\n').find((l) => l.trimStart().startsWith(`--${flag}`)) ?? '';

  it('--max-num-seqs and --max-num-batched-tokens print vLLM’s per-GPU defaults the engine resolves (servingDefaults.ts), not a fixed 256', () => {
    const h100 = findGpu('H100');
    const a100 = findGpu('A100');
    expect(h100 && a100).toBeTruthy();
    if (h100 === undefined || a100 === undefined) return;
    const seqs = line('recommend', 'max-num-seqs');
    expect(seqs).toContain(`${vllmDefaultMaxNumSeqs(h100)} (H100`);
    expect(seqs).toContain(`${vllmDefaultMaxNumSeqs(a100)} (`);
    expect(seqs).toContain(perGpuDefaultText(vllmDefaultMaxNumSeqs));
    expect(line('plan', 'max-num-batched-tokens')).toContain(perGpuDefaultText(vllmDefaultMaxNumBatchedTokens));
    expect(perGpuDefaultText(vllmDefaultMaxNumBatchedTokens)).toContain(`${vllmDefaultMaxNumBatchedTokens(a100)} (`);
  });

  it('serving, layout and budget defaults equal the constants the flag readers use', () => {
    const d = DEFAULT_SERVING_SETTINGS;
    expect(line('plan', 'max-model-len')).toContain(`default ${d.maxModelLenTokens},`);
    expect(line('plan', 'gpu-mem-util')).toContain(`default ${d.gpuMemoryUtilization})`);
    expect(line('plan', 'kv-cache-dtype')).toContain(`default ${d.kvCacheDtype} `);
    expect(line('plan', 'block-size')).toContain(`${DEFAULT_BLOCK_SIZE_TOKENS}, or ${MLA_BLOCK_SIZE_BLACKWELL_TOKENS} for MLA`);
    expect(line('plan', 'tp')).toContain(`default ${DEFAULT_LAYOUT.tp})`);
    expect(line('estimate', 'engine')).toContain(`default ${DEFAULT_SERVING_ENGINE})`);
    expect(line('recommend', 'max-gpus')).toContain(`default ${DEFAULT_MAX_GPUS})`);
    // The CLI keeps its own copy so that --help does not load recommend.ts; the two must agree.
    expect(DEFAULT_MAX_GPUS).toBe(SINGLE_NODE_REPLICA_GPUS);
    expect(line('recommend', 'num-requests')).toContain(`default ${DEFAULT_CAPACITY_NUM_REQUESTS})`);
    expect(DEFAULT_CAPACITY_NUM_REQUESTS).toBe(CAPACITY_NUM_REQUESTS);
  });

  it('prints every alias beside its flag', () => {
    expect(line('plan', 'tp')).toMatch(/^\s*--tp, --tensor-parallel-size, -tp <N>/);
    expect(line('plan', 'gpu-mem-util')).toContain('--gpu-memory-utilization');
  });
});
