import { describe, expect, it } from 'vitest';
import { RESULT_COLUMNS } from '../state/tableState';
import { COLUMN_INFO } from './results/columns';
import { MEMORY_SEGMENT_KEYS, MEMORY_SEGMENT_LABELS } from './results/memorySegments';
import { BOTTLENECK_TERMS, CHART_TERMS, COLUMN_TERMS, MEMORY_TERMS, PERF_FACT_TERMS, PLAIN_COLUMNS } from './glossary';
import { BOTTLENECK_LABELS } from './results/RowDetail';
import { PICK_MARK_NAMES } from './results/latencyCostPoints';

describe('glossary', () => {
  it('has an entry for every results column that names a term, built on its description', () => {
    const plain: readonly string[] = PLAIN_COLUMNS;
    for (const id of RESULT_COLUMNS) {
      if (plain.includes(id)) continue;
      const entry = (COLUMN_TERMS as Partial<Record<string, (typeof COLUMN_TERMS)[keyof typeof COLUMN_TERMS]>>)[id];
      expect(entry, id).toBeDefined();
      expect(entry?.term).toBe(COLUMN_INFO[id].label);
      expect(entry?.definition.startsWith(COLUMN_INFO[id].description), id).toBe(true);
    }
    expect(Object.keys(COLUMN_TERMS).length + PLAIN_COLUMNS.length).toBe(RESULT_COLUMNS.length);
  });

  it('explains every memory segment but "free", and the layout label\'s parts', () => {
    for (const key of MEMORY_SEGMENT_KEYS) {
      if (key === 'free') continue;
      expect(MEMORY_TERMS[key].definition.length, key).toBeGreaterThan(40);
      expect(MEMORY_SEGMENT_LABELS[key].toLowerCase()).toContain(MEMORY_TERMS[key].term.toLowerCase().split(' ')[0]);
    }
    for (const part of ['DP =', 'TP =', 'PP =', 'EP =']) expect(COLUMN_TERMS.layout.definition).toContain(part);
  });

  it('ends every definition as a sentence', () => {
    const all = [COLUMN_TERMS, MEMORY_TERMS, BOTTLENECK_TERMS, PERF_FACT_TERMS, CHART_TERMS].flatMap((set) => Object.values(set));
    for (const entry of all) expect(entry.definition, entry.term).toMatch(/[.)]$/);
  });

  it("names each bottleneck as the row detail's line does, and each chart label as the chart writes it", () => {
    for (const [kind, entry] of Object.entries(BOTTLENECK_TERMS)) expect(BOTTLENECK_LABELS[kind as keyof typeof BOTTLENECK_LABELS].startsWith(`${entry.term}:`), kind).toBe(true);
    for (const [kind, name] of Object.entries(PICK_MARK_NAMES)) expect(CHART_TERMS[kind as keyof typeof PICK_MARK_NAMES].term).toBe(name);
  });
});
