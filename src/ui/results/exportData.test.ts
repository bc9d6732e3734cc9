import { describe, expect, it } from 'vitest';
import type { RecommendRequest } from '../../engine/types';
import { CSV_COLUMNS, csvEscape, exportFileName, toCsv, toResultJson } from './exportData';
import { selectVisibleRows } from './tableRows';
import { makeArch, makeMemory, makeRequest, makeResult } from './testData';

describe('csvEscape', () => {
  it('quotes fields with commas, quotes and line breaks, doubling inner quotes (RFC 4180)', () => {
    expect(csvEscape('plain')).toBe('plain');
    expect(csvEscape('a,b')).toBe('"a,b"');
    expect(csvEscape('say "hi"')).toBe('"say ""hi"""');
    expect(csvEscape('two\nlines')).toBe('"two\nlines"');
    expect(csvEscape('cr\rhere')).toBe('"cr\rhere"');
  });
});

describe('toCsv', () => {
  const result = makeResult();
  const rows = selectVisibleRows(result, { fitsOnly: false, meetsSloOnly: false }, { column: 'costPerMTokens', descending: false });

  it('puts units in the headers of every measured column', () => {
    const header = toCsv(rows, result.best).split('\r\n')[0];
    expect(header).toContain('Weights / GPU (GiB)');
    expect(header).toContain('KV pool / GPU (GiB)');
    expect(header).toContain('TTFT (ms)');
    expect(header).toContain('ITL (ms)');
    expect(header).toContain('Output tok/s (tokens/s)');
    expect(header).toContain('$/hour (USD/h)');
    expect(header).toContain('$/M output tokens (USD)');
  });

  it('writes one line per visible row in screen order, with raw numbers in the header units', () => {
    const lines = toCsv(rows, result.best).split('\r\n');
    expect(lines).toHaveLength(rows.length + 2); // header + rows + final empty after the last CRLF
    const first = lines[1]?.split(',') ?? [];
    const weightsAt = CSV_COLUMNS.findIndex((c) => c.header === 'Weights / GPU (GiB)');
    expect(first[weightsAt]).toBe('15.00'); // makeMemory: 15 GiB of weights
    expect(first[0]).toBe('1'); // cheapest first: engine rank 1
    expect(lines.at(-2)).toContain('a100-40gb');
  });

  it('quotes a no-fit message that contains a comma', () => {
    const withComma = makeResult();
    const noFit = withComma.candidates[7];
    if (noFit === undefined) throw new Error('fixture changed');
    const candidate = { ...noFit, memory: makeMemory({ fits: false, reason: 'no-kv-memory', message: 'No KV memory, raise utilization' }) };
    const csv = toCsv([{ index: 7, candidate }], withComma.best);
    expect(csv).toContain('"No KV memory, raise utilization"');
  });
});

describe('exports carry the prefix cache and speculative decoding', () => {
  const result = makeResult();
  const rows = selectVisibleRows(result, { fitsOnly: false, meetsSloOnly: false }, { column: 'costPerMTokens', descending: false });
  const base = makeRequest();
  const request: RecommendRequest = {
    ...base,
    serving: { ...base.serving, prefixCache: { sharedPrefixTokens: 1000, hitRate: 0.5 } },
    speculativeSettings: { method: 'eagle3', tokens: 4, acceptance: null },
  };

  it('CSV: two settings columns, filled on every row, empty without them', () => {
    const lines = toCsv(rows, result.best, request).split('\r\n');
    expect(lines[0]?.endsWith(',Prefix cache,Speculative decoding')).toBe(true);
    expect(lines[1]?.endsWith(',shared prefix 1000 tokens; hit rate 0.5,eagle3; 4 tokens; acceptance default')).toBe(true);
    expect(toCsv(rows, result.best, base).split('\r\n')[1]?.endsWith(',,')).toBe(true);
  });

  it("CSV: vLLM's async scheduling as the rows were computed (the release's default unless set); empty for other engines", () => {
    const header = toCsv(rows, result.best, base).split('\r\n')[0] ?? '';
    expect(header.endsWith(',Async scheduling,Prefix cache,Speculative decoding')).toBe(true);
    expect(toCsv(rows, result.best, base).split('\r\n')[1]?.endsWith(',on,,')).toBe(true);
    const off: RecommendRequest = { ...base, serving: { ...base.serving, asyncScheduling: false } };
    expect(toCsv(rows, result.best, off).split('\r\n')[1]?.endsWith(',off,,')).toBe(true);
    const old: RecommendRequest = { ...base, serving: { ...base.serving, vllmVersion: '0.11' } };
    expect(toCsv(rows, result.best, old).split('\r\n')[1]?.endsWith(',off,,')).toBe(true);
    expect(toCsv(rows, result.best, { ...base, engine: 'sglang' }).split('\r\n')[1]?.endsWith(',,,')).toBe(true);
    const parsed: unknown = JSON.parse(toResultJson({ arch: makeArch(), request: off, result }));
    expect(parsed).toHaveProperty('request.serving.asyncScheduling', false);
  });

  it('JSON: the request keeps its prefix cache and speculative settings', () => {
    const parsed: unknown = JSON.parse(toResultJson({ arch: makeArch(), request, result }));
    expect(parsed).toHaveProperty('request.serving.prefixCache', { sharedPrefixTokens: 1000, hitRate: 0.5 });
    expect(parsed).toHaveProperty('request.speculativeSettings', { method: 'eagle3', tokens: 4, acceptance: null });
  });

  it('a token tree names its top-k and verified tokens in the CSV and keeps them in the JSON', () => {
    const tree: RecommendRequest = { ...request, engine: 'sglang', speculativeSettings: { method: 'eagle', tokens: 5, acceptance: 0.7, topk: 4, draftTokens: 8 } };
    expect(toCsv(rows, result.best, tree).split('\r\n')[1]?.endsWith(',eagle; 5 tokens; top-k 4; 8 verified; acceptance 0.7')).toBe(true);
    const parsed: unknown = JSON.parse(toResultJson({ arch: makeArch(), request: tree, result }));
    expect(parsed).toHaveProperty('request.speculativeSettings', { method: 'eagle', tokens: 5, acceptance: 0.7, topk: 4, draftTokens: 8 });
  });
});

describe('toResultJson', () => {
  it('holds the whole result, the request and the arch under a versioned format tag', () => {
    const parsed: unknown = JSON.parse(toResultJson({ arch: makeArch(), request: makeRequest(), result: makeResult() }));
    expect(parsed).toMatchObject({ format: 'gpu-fit-result', version: 1, modelId: 'meta-llama/Llama-3.1-8B' });
    expect(parsed).toHaveProperty('result.candidates.length', 8);
    expect(parsed).toHaveProperty('request.maxGpus', 8);
  });

  it('carries no token anywhere, even when one rides along on a wider request object', () => {
    // The bug this guards: spreading the app's input state (which holds the token) into the export.
    const requestWithToken: RecommendRequest & { accessToken: string } = { ...makeRequest(), accessToken: 'hf_abcdefghijklmnopqrstuvwxyz' };
    const arch = { ...makeArch(), token: 'hf_zyxwvutsrqponmlkjihgfedcba', assumptions: ['hf_zyxwvutsrqponmlkjihgfedcba'] };
    const json = toResultJson({ arch, request: requestWithToken, result: makeResult() });
    expect(json).not.toContain('hf_');
    expect(json).not.toMatch(/"(accessToken|token)"/);
  });
});

describe('exportFileName', () => {
  it('names the file after the model without its org', () => {
    expect(exportFileName('meta-llama/Llama-3.1-8B', 'csv')).toBe('Llama-3.1-8B-results.csv');
    expect(exportFileName('weird name?', 'json')).toBe('weird_name_-results.json');
  });
});
