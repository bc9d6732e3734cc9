/**
 * [disagg] Plain-words definitions of the P/D terms (issue 12 item 5), shown by Term.tsx beside the
 * serving-shape choice and the P/D table's headers. Kept beside the P/D components (glossary.ts holds
 * the aggregated table's terms).
 */
import type { GlossaryEntry } from '../glossary';

export const DISAGG_TERMS = {
  servingShape: {
    term: 'Serving shape',
    definition:
      'Aggregated: every replica runs both the prompt (prefill) and the token-by-token generation (decode). Disaggregated prefill/decode (P/D): a prefill pool computes each prompt, its KV cache moves over NVLink or the network to a decode pool that generates the tokens, so long prompts no longer stall the decode steps. Each pool has its own GPU type, tensor parallelism and replica count. P/D is sized for a request rate with percentile latency limits.',
    source: "vLLM flag --kv-transfer-config '{\"kv_connector\":\"NixlConnector\",…}'; llm-d prefill/decode replicas",
  },
  kvTransfer: {
    term: 'KV transfer',
    definition:
      "Time to move one request's prompt KV cache from the prefill GPUs to the decode GPUs at the link's bandwidth (NVLink inside one NVLink domain, else the NIC). vLLM's NixlConnector moves it after the prefill ends (no layer-by-layer overlap), so it adds to the time to first token.",
    source: 'vLLM NixlConnector (docs/features/nixl_connector_usage.md)',
  },
  atEqualGpus: {
    term: 'Aggregated at the same GPUs',
    definition:
      "Aggregated serving with the same number of GPUs as the P/D plan, on the decode pool's GPU type and layout, at the same request rate: does it meet the same latency limits?",
  },
  cheapestAggregated: {
    term: 'Cheapest aggregated',
    definition: "The fewest copies of the decode pool's GPU type and layout, serving aggregated, that meet the same latency limits at the same rate (simulated).",
  },
} as const satisfies Record<string, GlossaryEntry>;
