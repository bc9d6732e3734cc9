/**
 * [disagg] Which prefill/decode layout pairs vLLM's NixlConnector accepts
 * (vllm/distributed/kv_transfer/kv_connector/v1/nixl_connector.py, NixlConnectorWorker.add_remote_agent
 * and _validate_remote_agent_handshake):
 * - the TP sizes must divide one another: tp_ratio is `divide(local, remote)` (D TP > P TP: several
 *   decode ranks read one prefill rank's heads; D TP < P TP: a decode rank reads several prefill ranks);
 * - "Num kv_heads > tp_size and P TP > D TP case, not supported": when a prefill rank replicates the KV
 *   heads (P TP above the model's KV heads) the decode TP may not be smaller;
 * - both pools must hold the same attention layers with the same KV layout: one model, one KV dtype
 *   (checked by the caller's shared serving settings).
 */
import type { Layout, ModelArch } from '../types';

/** The fewest KV heads of any attention layer (MLA and attention-free layers have none to split). */
function minKvHeads(arch: ModelArch): number | null {
  let min: number | null = null;
  for (const layer of arch.layers) {
    const m = layer.mixer;
    if (m.kind === 'attention') min = min === null ? m.numKvHeads : Math.min(min, m.numKvHeads);
  }
  return min;
}

/** Why vLLM's NixlConnector refuses this pair of pool layouts, or null when it accepts it. */
export function disaggLayoutProblem(arch: ModelArch, prefill: Pick<Layout, 'tp'>, decode: Pick<Layout, 'tp'>): string | null {
  const p = Math.max(1, prefill.tp);
  const d = Math.max(1, decode.tp);
  if (Math.max(p, d) % Math.min(p, d) !== 0) return `prefill TP ${p} and decode TP ${d} must divide one another (NixlConnector reads whole head groups)`;
  const kvHeads = minKvHeads(arch);
  if (p > d && kvHeads !== null && p > kvHeads) {
    return `prefill TP ${p} replicates the model's ${kvHeads} KV heads: NixlConnector does not support a smaller decode TP (${d}) then`;
  }
  return null;
}
