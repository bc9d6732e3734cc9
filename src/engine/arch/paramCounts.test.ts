/**
 * Config arithmetic vs the published Hub counts in fixtures/hf/param_counts.csv: within 1 % for
 * every row whose fixture is vendored. The Hub counts STORED elements, so we compare like with like:
 *  - DeepSeek-format checkpoints store the MTP layer(s): compare total + params.mtp;
 *  - grouped/blocked quantization stores scale tensors (FP8 128×128 `weight_scale_inv`, MXFP4 e8m0
 *    scales): add scaleElements();
 *  - Qwen3-0.6B stores lm_head although tie_word_embeddings is true (the CSV row says so): add
 *    vocab × hidden for that tied checkpoint — vLLM does not load it, so params.total excludes it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig } from './parseConfig';
import { parseConfigJson } from './parseConfigJson';
import { scaleElements } from './quantization';

const ROOT = 'fixtures/hf';
const TOLERANCE = 0.01;

/** Rows whose Hub id differs from the vendored fixture only in a fine-tune with identical shapes. */
const SAME_SHAPES: Record<string, string> = {
  // Instruct fine-tune of the base model: every shape field equal (CSV note: "= arithmetic from Mixtral-8x7B config").
  'mistralai/Mixtral-8x7B-Instruct-v0.1': 'mistralai__Mixtral-8x7B-v0.1',
};

/** Tied checkpoints that also store lm_head (stated in the CSV row). */
const STORES_TIED_LM_HEAD = new Set(['Qwen/Qwen3-0.6B']);

function parseCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

const rows = readFileSync(`${ROOT}/param_counts.csv`, 'utf8')
  .split('\n')
  .slice(1)
  .filter((l) => l.trim().length > 0)
  .map(parseCsvLine)
  .map(([modelId = '', value = '', kind = '', dtype = '']) => ({ modelId, value: Number(value), kind, dtype }));

describe('config arithmetic matches the published parameter counts (param_counts.csv)', () => {
  it('has rows', () => expect(rows.length).toBeGreaterThan(10));

  for (const row of rows) {
    const dir = SAME_SHAPES[row.modelId] ?? row.modelId.replace('/', '__');
    const path = `${ROOT}/${dir}/config.json`;
    if (!existsSync(path)) {
      it.skip(`${row.modelId}: no vendored fixture (skipped)`, () => {});
      continue;
    }
    // safetensors_total_size_bytes rows are bytes of a bf16 checkpoint: 2 bytes per parameter.
    const published = row.kind === 'safetensors_total_size_bytes' ? row.value / 2 : row.value;
    it(`${row.modelId} (${row.kind}) within 1 %`, () => {
      const json = parseConfigJson(readFileSync(path, 'utf8'));
      if (!json.ok) throw new Error('fixture does not parse');
      const r = parseConfig(json.value, { modelId: row.modelId });
      if (!r.ok) throw new Error(JSON.stringify(r.error));
      const a = r.value;
      const storedLmHead = STORES_TIED_LM_HEAD.has(row.modelId) ? a.vocabSize * a.hiddenSize : 0;
      const comparable = a.params.total + (a.params.mtp ?? 0) + scaleElements(a, a.quantization) + storedLmHead;
      expect(Math.abs(comparable - published) / published).toBeLessThan(TOLERANCE);
    });
  }

  it('is exact where the CSV says "= arithmetic" (Llama-3.1-8B, Qwen3-8B, Qwen2.5-7B)', () => {
    for (const [dir, n] of [
      ['meta-llama__Llama-3.1-8B', 8_030_261_248],
      ['Qwen__Qwen3-8B', 8_190_735_360],
      ['Qwen__Qwen2.5-7B-Instruct', 7_615_616_512],
    ] as const) {
      const json = parseConfigJson(readFileSync(`${ROOT}/${dir}/config.json`, 'utf8'));
      if (!json.ok) throw new Error('fixture does not parse');
      const r = parseConfig(json.value, { modelId: dir });
      expect(r.ok && r.value.params.total).toBe(n);
    }
  });

  it('DeepSeek-V3: 671.03B main + 13.46B MTP + 40.8M FP8 block scales = the Hub 684,531,386,000 within 0.001 %', () => {
    const json = parseConfigJson(readFileSync(`${ROOT}/deepseek-ai__DeepSeek-V3/config.json`, 'utf8'));
    if (!json.ok) throw new Error('fixture does not parse');
    const r = parseConfig(json.value, { modelId: 'deepseek-ai/DeepSeek-V3' });
    if (!r.ok) throw new Error('parse failed');
    const a = r.value;
    const stored = a.params.total + (a.params.mtp ?? 0) + scaleElements(a, a.quantization);
    expect(Math.abs(stored - 684_531_386_000) / 684_531_386_000).toBeLessThan(1e-5);
  });
});
