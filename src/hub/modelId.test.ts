import { describe, expect, it } from 'vitest';
import { normalizeModelId } from './modelId';

describe('normalizeModelId', () => {
  it('accepts org/name ids and legacy single names, trimmed', () => {
    expect(normalizeModelId('meta-llama/Llama-3.1-8B-Instruct')).toEqual({ ok: true, value: 'meta-llama/Llama-3.1-8B-Instruct' });
    expect(normalizeModelId('  Qwen/Qwen3-8B\n')).toEqual({ ok: true, value: 'Qwen/Qwen3-8B' });
    expect(normalizeModelId('gpt2')).toEqual({ ok: true, value: 'gpt2' });
    expect(normalizeModelId('org_x/model.v2_final')).toEqual({ ok: true, value: 'org_x/model.v2_final' });
  });

  it('strips pasted huggingface.co / hf.co URLs to org/name', () => {
    expect(normalizeModelId('https://huggingface.co/Qwen/Qwen3-8B')).toEqual({ ok: true, value: 'Qwen/Qwen3-8B' });
    expect(normalizeModelId('https://huggingface.co/Qwen/Qwen3-8B/blob/main/config.json')).toEqual({ ok: true, value: 'Qwen/Qwen3-8B' });
    expect(normalizeModelId('hf.co/openai/gpt-oss-20b?library=transformers')).toEqual({ ok: true, value: 'openai/gpt-oss-20b' });
  });

  it('refuses what the Hub refuses (validate_repo_id): spaces, extra slashes, --, .., leading or trailing - or .', () => {
    for (const bad of ['', 'llama 3', 'a/b/c', '/name', 'org/', 'org/na--me', 'org/na..me', 'org/-name', 'org/name.', 'org/name.git', 'x'.repeat(97)]) {
      expect(normalizeModelId(bad)).toEqual({ ok: false, error: { kind: 'invalid-id', modelId: bad } });
    }
  });
});
