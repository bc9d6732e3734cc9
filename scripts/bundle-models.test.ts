import { describe, expect, it } from 'vitest';
import { findSourceLine, fixtureDirToModelId, renderDataModule } from './bundle-models';

describe('bundle-models', () => {
  it('maps fixture folders to Hub ids', () => {
    expect(fixtureDirToModelId('meta-llama__Llama-3.1-8B')).toBe('meta-llama/Llama-3.1-8B');
    expect(fixtureDirToModelId('no-separator')).toBeNull();
  });

  it("finds the model's own SOURCES.md line, not a longer id's", () => {
    const md = '- a/b-FP8 — repo x — note\n- a/b — repo y — note\n';
    expect(findSourceLine(md, 'a/b')).toBe('a/b — repo y — note');
    expect(findSourceLine(md, 'a/c')).toBeNull();
  });

  it('renders raw text as string literals that evaluate back to it verbatim', () => {
    const configText = '{\n  "time_step_limit": [0.0, Infinity],\r\n  "q": "\\"x\\" \u2014 </script>"\n}';
    const rendered = renderDataModule([{ id: 'a/b', label: 'b', configText, source: 'a/b — s' }]);
    const literal = /configText: (.*),\n/.exec(rendered)?.[1] ?? '';
    expect(JSON.parse(literal)).toBe(configText);
  });
});
