/**
 * Prefix caching and speculative decoding (issue 12), under Serving: what the prompts share with the
 * prefix cache (on by default as in vLLM V1; nothing cached until set), and the speculative method,
 * its tokens and acceptance. Both reach the closed form and the simulator (engine/perf/prefixCache.ts,
 * engine/perf/speculative.ts). MTP is offered only when the loaded config declares MTP layers; a
 * separate draft model needs its own config: CLI-only (--spec-method draft --draft-config).
 */
import { DEFAULT_SPEC_ACCEPTANCE_SOURCES, defaultSpecAcceptance } from '../../engine/perf/speculative';
import { parsePrefixHitRate, parsePrefixTokens, parseSpecAcceptance, parseSpecDraftTokens, parseSpecTokens, parseSpecTopk } from '../../state/inputRules';
import { PAGE_SPEC_METHODS, type PageSpecMethod } from '../../state/inputs';
import { visibleView } from '../../state/selectors';
import { useAppStore } from '../../state/useAppStore';
import { ParsedField } from './ParsedField';
import { SelectField } from './SelectField';
import { SPEC_METHOD_LABELS } from './optionLabels';

export function ServingShapeFields() {
  const prefixSharedTokens = useAppStore((s) => s.inputs.prefixSharedTokens);
  const prefixHitRate = useAppStore((s) => s.inputs.prefixHitRate);
  const specMethod = useAppStore((s) => s.inputs.specMethod);
  const specTokens = useAppStore((s) => s.inputs.specTokens);
  const specAcceptance = useAppStore((s) => s.inputs.specAcceptance);
  const specTopk = useAppStore((s) => s.inputs.specTopk);
  const specDraftTokens = useAppStore((s) => s.inputs.specDraftTokens);
  const engine = useAppStore((s) => s.inputs.engine);
  // The shape the engine is asked for (state selectors speculativeSettingsOf): a tree only on SGLang.
  const shownTopk = engine === 'sglang' ? specTopk : 1;
  const mtpLayers = useAppStore((s) => visibleView(s.results)?.arch.mtpLayers ?? 0);
  const setInput = useAppStore((s) => s.setInput);
  // MTP only where the config declares MTP layers (or a link already chose it: the engine then says why it cannot).
  const methods: readonly PageSpecMethod[] = PAGE_SPEC_METHODS.filter((m) => m !== 'mtp' || mtpLayers > 0 || specMethod === 'mtp');
  return (
    <>
      <fieldset>
        <legend>Prefix caching</legend>
        <ParsedField
          label="Shared prefix tokens"
          value={prefixSharedTokens}
          parse={parsePrefixTokens}
          hint="Tokens every prompt starts with (system prompt, few-shot): prefilled once, held once in the KV pool; at most the prompt length. vLLM caches whole blocks, SGLang's radix cache token by token."
          onCommit={(v) => setInput('prefixSharedTokens', v)}
        />
        <ParsedField
          label="Prefix hit rate"
          value={prefixHitRate}
          parse={parsePrefixHitRate}
          inputMode="decimal"
          hint="Fraction (0–1) of each prompt already in the cache (e.g. multi-turn history). On by default as in vLLM V1; 0 caches nothing."
          onCommit={(v) => setInput('prefixHitRate', v)}
        />
      </fieldset>
      <fieldset>
        <legend>Speculative decoding</legend>
        <SelectField
          label="Speculative method"
          value={specMethod}
          options={methods}
          optionLabels={SPEC_METHOD_LABELS}
          hint={
            mtpLayers > 0
              ? 'A draft model needs its own config: CLI only (--spec-method draft --draft-config).'
              : "MTP needs a config that declares MTP layers (this one does not). A draft model needs its own config: CLI only (--spec-method draft --draft-config)."
          }
          onChange={(v) => setInput('specMethod', v)}
        />
        {specMethod === 'none' ? null : (
          <>
            <ParsedField
              label="Speculative tokens"
              value={specTokens}
              parse={parseSpecTokens}
              hint={engine === 'sglang' && specTopk > 1 ? 'Draft steps: the tree\'s depth (SGLang --speculative-num-steps).' : 'Tokens proposed per step (vLLM num_speculative_tokens; SGLang --speculative-num-steps).'}
              onCommit={(v) => setInput('specTokens', v)}
            />
            {engine === 'sglang' ? (
              <ParsedField
                label="Top-k per step"
                value={specTopk}
                parse={parseSpecTopk}
                hint="Candidates per draft step (SGLang --speculative-eagle-topk). 1 = a chain; above 1 a token tree: the verify checks the best-scored nodes (EAGLE-2's dynamic tree) and accepts more per step, at the price of more verify rows and wider drafts."
                onCommit={(v) => setInput('specTopk', v)}
              />
            ) : null}
            {engine === 'sglang' && specTopk > 1 ? (
              <ParsedField
                label="Verified tokens"
                value={specDraftTokens}
                parse={parseSpecDraftTokens}
                hint="Tokens the tree verifies per request, its root included (SGLang --speculative-num-draft-tokens); at most the nodes the tree drafts. APPROXIMATION: the i-th candidate is accepted with α(1 − α)^(i−1), an upper end for real drafts."
                onCommit={(v) => setInput('specDraftTokens', v)}
              />
            ) : null}
            <ParsedField
              label="Acceptance rate"
              value={specAcceptance}
              parse={parseSpecAcceptance}
              inputMode="decimal"
              placeholder={`default ${defaultSpecAcceptance(specMethod, shownTopk)}`}
              hint={`Per-token acceptance (0–1). Empty = the published default ${defaultSpecAcceptance(specMethod, shownTopk)} (${DEFAULT_SPEC_ACCEPTANCE_SOURCES[specMethod]}${shownTopk > 1 ? '; for a tree, the per-node α that reproduces a tree-measured source\'s accepted length' : ''}); workloads vary ±0.1. APPROXIMATION: i.i.d. acceptance (a chain; SGLang's top-k trees are modelled from the same per-node α). The table's ITL is per token; the simulated p99 ITL counts one gap per verify step, as vllm bench serve does.`}
              onCommit={(v) => setInput('specAcceptance', v)}
            />
          </>
        )}
      </fieldset>
    </>
  );
}
