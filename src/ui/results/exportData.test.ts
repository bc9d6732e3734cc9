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
