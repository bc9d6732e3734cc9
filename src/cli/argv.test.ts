import { describe, expect, it } from 'vitest';
import { canonicalArgs, editDistance, flagSpellings, MAX_SUGGESTION_EDITS, nearestSpelling } from './argv';
import { COMMAND_NAMES, flagsOf, isCommandName } from './commands';

const commands = COMMAND_NAMES.filter(isCommandName);

describe('flag spellings', () => {
  it('accepts vLLM’s own flag names as aliases (vllm/engine/arg_utils.py)', () => {
    const plan = flagSpellings('plan');
    expect(plan.get('--gpu-memory-utilization')).toBe('gpu-mem-util');
    expect(plan.get('--tensor-parallel-size')).toBe('tp');
    expect(plan.get('-tp')).toBe('tp');
    expect(plan.get('--pipeline-parallel-size')).toBe('pp');
    expect(plan.get('-pp')).toBe('pp');
    expect(plan.get('--data-parallel-size')).toBe('dp');
    expect(plan.get('-dp')).toBe('dp');
    expect(plan.get('--enable-expert-parallel')).toBe('ep');
    for (const own of ['--max-model-len', '--kv-cache-dtype', '--max-num-seqs', '--max-num-batched-tokens', '--disable-custom-all-reduce']) {
      expect(plan.get(own), own).toBe(own.slice(2));
    }
  });

  it('no spelling names two flags, and no alias shadows another flag’s canonical name', () => {
    for (const command of commands) {
      const seen = new Map<string, string>();
      for (const [name, spec] of Object.entries(flagsOf(command))) {
        for (const spelling of [`--${name}`, ...(spec.aliases ?? [])]) {
          expect(seen.get(spelling), `${command} ${spelling}`).toBeUndefined();
          seen.set(spelling, name);
        }
      }
    }
  });
});

describe('canonicalArgs', () => {
  it('turns every spelling into --name and keeps values, inline or not', () => {
    expect(canonicalArgs('plan', ['-tp', '2', '--pipeline-parallel-size=2', '--enable-expert-parallel', '--gpu-memory-utilization', '0.8'])).toEqual({
      ok: true,
      value: ['--tp=2', '--pp=2', '--ep', '--gpu-mem-util=0.8'],
    });
  });

  it('keeps a negative value with its flag so the reader can say what is wrong with it', () => {
    expect(canonicalArgs('plan', ['--tp', '-1'])).toEqual({ ok: true, value: ['--tp=-1'] });
    // A flag where a value should be stays a flag: parseArgs then reports the missing value.
    expect(canonicalArgs('plan', ['--gpu', '--tp', '2'])).toEqual({ ok: true, value: ['--gpu', '--tp=2'] });
  });

  it('refuses an unknown flag and suggests the nearest spelling within two edits', () => {
    const r = canonicalArgs('plan', ['--gpu-mem-utl', '0.8']);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toBe('unknown flag --gpu-mem-utl for plan; did you mean --gpu-mem-util? (see plan --help)');
    const vllm = canonicalArgs('plan', ['--tensor-paralel-size=2']);
    expect(vllm.ok ? '' : vllm.error.message).toContain('did you mean --tensor-parallel-size?');
  });

  it('names the commands a flag belongs to when it is no near miss here', () => {
    const r = canonicalArgs('gpus', ['--isl', '8']);
    expect(r.ok ? '' : r.error.message).toBe('unknown flag --isl for gpus; it is a flag of estimate, recommend (see gpus --help)');
    const far = canonicalArgs('plan', ['--frobnicate']);
    expect(far.ok ? '' : far.error.message).toBe('unknown flag --frobnicate for plan (see plan --help)');
  });
});

describe('editDistance and nearestSpelling', () => {
  it('counts insertions, deletions, substitutions and a swap of neighbours as one edit each', () => {
    expect(editDistance('--tp', '--tp')).toBe(0);
    expect(editDistance('--tpp', '--tp')).toBe(1);
    expect(editDistance('--pt', '--tp')).toBe(1);
    expect(editDistance('--gpu-mem-utl', '--gpu-mem-util')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it(`suggests nothing beyond ${MAX_SUGGESTION_EDITS} edits, and prefers our own --name on a tie`, () => {
    expect(nearestSpelling('--jsonx', ['--json'])).toBe('--json');
    expect(nearestSpelling('--model-xyz', ['--model'])).toBeNull();
    expect(nearestSpelling('-tpx', ['-tp', '--tp'])).toBe('-tp');
    expect(nearestSpelling('--t', ['-tp', '--tp'])).toBe('--tp');
  });
});
