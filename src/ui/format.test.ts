import { describe, expect, it } from 'vitest';
import { GB, GiB } from '../engine/units';
import { formatBytes, formatConcurrency, formatJoulesPerToken, formatCount, formatGB, formatGiB, formatMs, formatParams, formatPct, formatTokensPerS, formatUsd, gibNumber } from './format';

describe('format', () => {
  it('formatGiB divides by 2^30 and says GiB', () => {
    expect(formatGiB(12.44 * GiB)).toBe('12.4 GiB');
    expect(formatGiB(0.25 * GiB)).toBe('0.25 GiB');
    expect(formatGiB(1234 * GiB)).toBe('1,234 GiB');
  });

  it('formatGB divides by 10^9 and says GB (80 GB ≠ 80 GiB)', () => {
    expect(formatGB(80 * GB)).toBe('80.0 GB');
    expect(formatGB(80 * GiB)).toBe('85.9 GB');
  });

  it('gibNumber is a bare two-decimal GiB figure for CSV cells', () => {
    expect(gibNumber(14.96 * GiB)).toBe('14.96');
  });

  it('formatMs switches to seconds at one second', () => {
    expect(formatMs(12.345)).toBe('12.3 ms');
    expect(formatMs(5)).toBe('5.00 ms');
    expect(formatMs(2500)).toBe('2.50 s');
    expect(formatMs(20580)).toBe('20.6 s');
  });

  it('formatTokensPerS groups thousands', () => {
    expect(formatTokensPerS(12345.6)).toBe('12,346 tok/s');
    expect(formatTokensPerS(42.42)).toBe('42.4 tok/s');
  });

  it('formatUsd keeps three significant digits below a dollar', () => {
    expect(formatUsd(12.4)).toBe('$12.40');
    expect(formatUsd(0.0342)).toBe('$0.0342');
    expect(formatUsd(0)).toBe('$0.00');
  });

  it('formatParams uses K/M/B/T with three significant digits', () => {
    expect(formatParams(8.03e9)).toBe('8.03B');
    expect(formatParams(6.71e11)).toBe('671B');
    expect(formatParams(1e11)).toBe('100B');
    expect(formatParams(1.02e12)).toBe('1.02T');
    expect(formatParams(355e6)).toBe('355M');
  });

  it('formats counts, concurrency and percentages', () => {
    expect(formatCount(131072)).toBe('131,072');
    expect(formatConcurrency(32)).toBe('32');
    expect(formatConcurrency(54.75)).toBe('54.8');
    expect(formatPct(12.345)).toBe('12.3 %');
  });

  it('formatBytes picks KiB/MiB/GiB and formatJoulesPerToken says J/token', () => {
    expect(formatBytes(147456)).toBe('144 KiB');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatJoulesPerToken(0.4)).toBe('0.40 J/token');
  });
});
