import { describe, expect, it } from 'vitest';
import type { ErrorRow } from './errorTables';
import { formatErrorTable, groupErrors, median, shortSourceName, speedBiasPct } from './errorTables';

const row = (measured: number, predicted: number, sense: ErrorRow['sense']): ErrorRow => ({
  measured,
  predicted,
  errorPct: ((predicted - measured) / measured) * 100,
  sense,
});

describe('errorTables', () => {
  it('median takes the middle value, or the mean of the two middle ones', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('speedBiasPct reads an estimate 2× too slow as −50 % on a rate and on a time metric', () => {
    expect(speedBiasPct(row(100, 50, 'rate'))).toBeCloseTo(-50, 9);
    expect(speedBiasPct(row(10, 20, 'time'))).toBeCloseTo(-50, 9);
    expect(speedBiasPct(row(10, 5, 'time'))).toBeCloseTo(100, 9);
  });

  it('groupErrors gives each key its rows, median |error| and median speed bias, largest group first', () => {
    const rows = [
      { ...row(100, 110, 'rate'), k: 'a' },
      { ...row(100, 80, 'rate'), k: 'b' },
      { ...row(10, 12.5, 'time'), k: 'b' },
      { ...row(100, 70, 'rate'), k: 'b' },
    ];
    const g = groupErrors(rows, (r) => r.k);
    expect(g.map((x) => x.key)).toEqual(['b', 'a']);
    // b: |errors| 20, 25, 30 → 25; speed biases −20, −20, −30 → −20.
    expect(g[0]).toMatchObject({ key: 'b', rows: 3 });
    expect(g[0]?.medianAbsErrorPct).toBeCloseTo(25, 9);
    expect(g[0]?.medianSpeedBiasPct).toBeCloseTo(-20, 9);
    expect(g[1]?.medianSpeedBiasPct).toBeCloseTo(10, 9);
  });

  it('formatErrorTable prints one aligned line per group with a signed bias', () => {
    const lines = formatErrorTable('by engine', [
      { key: 'trtllm', rows: 824, medianAbsErrorPct: 11.94, medianSpeedBiasPct: 0.1 },
      { key: 'sglang', rows: 60, medianAbsErrorPct: 35.9, medianSpeedBiasPct: -27.44 },
    ]);
    expect(lines).toEqual(['by engine  rows   |err|    bias', '  trtllm    824   11.9%    +0.1%', '  sglang     60   35.9%   -27.4%']);
  });

  it('shortSourceName keeps repository, file (with its folder when the name is short) and table', () => {
    expect(shortSourceName('NVIDIA/TensorRT-LLM docs/source/performance/perf-overview.md@258c7540 (v0.17 table)')).toBe(
      'TensorRT-LLM perf-overview (v0.17 table)',
    );
    expect(shortSourceName('gpustack/gpustack docs/performance-lab/qwen3-14b/a100.md@47277d79')).toBe('gpustack qwen3-14b/a100');
    expect(shortSourceName('ROCm/vllm docs/dev-docker/README.md@040de12d (rocm/vllm-dev, vLLM v0.10.0, ROCm 6.4.1)')).toBe(
      'vllm dev-docker/README (rocm/vllm-dev, vLLM v0.10.0, ROCm 6.4.1)',
    );
    expect(shortSourceName('a free-text source')).toBe('a free-text source');
  });
});
