import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collectBundledModels, DATA_MODULE_PATH, renderDataModule } from '../../../scripts/bundle-models';
import { parseConfig } from '../arch/parseConfig';
import { parseConfigJson } from '../arch/parseConfigJson';
import { BUNDLED_MODELS, DEFAULT_MODEL_ID, findBundledModel, parseBundledModel, searchBundledModels } from './bundledModels';

const ids = (models: readonly { id: string }[]) => models.map((m) => m.id);

describe('BUNDLED_MODELS', () => {
  it('holds at least 20 models with unique Hub ids, each with a source', () => {
    expect(BUNDLED_MODELS.length).toBeGreaterThanOrEqual(20);
    expect(new Set(ids(BUNDLED_MODELS)).size).toBe(BUNDLED_MODELS.length);
    for (const m of BUNDLED_MODELS) {
      expect(m.id).toMatch(/^[\w.-]+\/[\w.-]+$/);
      expect(m.label.length).toBeGreaterThan(0);
      expect(m.source.startsWith(`${m.id} — `)).toBe(true);
    }
  });

  it('every bundled config.json and hf_quant_config.json parses with parseConfigJson to an object', () => {
    for (const m of BUNDLED_MODELS) {
      for (const text of [m.configText, m.hfQuantConfigText]) {
        if (text === undefined) continue;
        const parsed = parseConfigJson(text);
        expect(parsed.ok, m.id).toBe(true);
        if (parsed.ok) expect(typeof parsed.value === 'object' && parsed.value !== null && !Array.isArray(parsed.value), m.id).toBe(true);
      }
    }
  });

  it('every bundled model parses with parseConfig, hf_quant_config included (parseBundledModel)', () => {
    for (const m of BUNDLED_MODELS) {
      const files = parseBundledModel(m);
      if (!files.ok) throw new Error(`${m.id}: ${JSON.stringify(files.error)}`);
      expect(files.value.modelId).toBe(m.id);
      expect(files.value.hfQuantConfig !== undefined).toBe(m.hfQuantConfigText !== undefined);
      const arch = parseConfig(files.value.config, { modelId: m.id, hfQuantConfig: files.value.hfQuantConfig });
      expect(arch.ok ? 'ok' : JSON.stringify(arch.error), m.id).toBe('ok');
    }
  });

  it('keeps config text verbatim, bare Infinity included (Nemotron-H time_step_limit)', () => {
    const nemotron = findBundledModel('nvidia/Nemotron-H-56B-Base-8K');
    expect(nemotron?.configText).toMatch(/Infinity/);
    const parsed = parseConfigJson(nemotron?.configText ?? '');
    expect(parsed.ok && parsed.value).toMatchObject({ time_step_limit: [0, Number.POSITIVE_INFINITY] });
  });

  it('includes the default model and the ModelOpt quant config where the checkpoint has one', () => {
    expect(findBundledModel(DEFAULT_MODEL_ID)?.id).toBe(DEFAULT_MODEL_ID);
    expect(findBundledModel('nvidia/Llama-3.1-70B-Instruct-FP8')?.hfQuantConfigText).toMatch(/"quant_algo": "FP8"/);
    expect(findBundledModel('Qwen/Qwen3-8B')?.hfQuantConfigText).toBeUndefined();
  });

  it('is what scripts/bundle-models.ts generates from fixtures/hf today (run npm run bundle-models)', () => {
    expect(readFileSync(DATA_MODULE_PATH, 'utf8')).toBe(renderDataModule(collectBundledModels()));
  });
});

describe('searchBundledModels', () => {
  it('lists the default first for an empty query, up to the limit', () => {
    const first = searchBundledModels('', 5);
    expect(first).toHaveLength(5);
    expect(first[0]?.id).toBe(DEFAULT_MODEL_ID);
  });

  it('matches case-insensitive substrings of the id, exact match first', () => {
    expect(ids(searchBundledModels('qwen/qwen3-8b'))[0]).toBe('Qwen/Qwen3-8B');
    expect(ids(searchBundledModels('GPT-OSS'))).toEqual(['openai/gpt-oss-120b', 'openai/gpt-oss-20b']);
  });

  it('ranks name prefixes before mere substrings', () => {
    // 'llama-3.1-70b' starts meta-llama/Llama-3.1-70B* but sits inside nvidia/Llama-3.1-70B-Instruct-FP8 too.
    const found = ids(searchBundledModels('llama-3.1-70b'));
    expect(found).toContain('nvidia/Llama-3.1-70B-Instruct-FP8');
    expect(found.slice(0, 2).every((id) => id.startsWith('meta-llama/') || id.startsWith('nvidia/'))).toBe(true);
  });

  it('matches when every space-separated token is in the id', () => {
    expect(ids(searchBundledModels('llama 8b instruct'))).toEqual(['meta-llama/Llama-3.1-8B-Instruct']);
    expect(ids(searchBundledModels('deepseek v3'))).toEqual(expect.arrayContaining(['deepseek-ai/DeepSeek-V3', 'nvidia/DeepSeek-V3.1-NVFP4']));
  });

  it('returns nothing for no match, and respects the limit', () => {
    expect(searchBundledModels('no-such-model-xyz')).toEqual([]);
    expect(searchBundledModels('qwen', 3)).toHaveLength(3);
    expect(searchBundledModels('qwen', 0)).toEqual([]);
  });
});
