/**
 * The FFN of each layer: dense MLP, mixture of experts, or none.
 *
 * Which layers are MoE (first rule whose field is present):
 *   hybrid pattern 'E' / '-'            Nemotron-H (from hybrid.ts)
 *   mlp_only_layers, decoder_sparse_step Qwen2/3-MoE, Qwen3-Next: MoE unless listed, and (i + 1) % step == 0
 *   first_k_dense_replace, moe_layer_freq DeepSeek / Kimi / GLM: i ≥ k and i % freq == 0
 *   moe_layers, interleave_moe_layer_step Llama 4: (i + 1) % step == 0 (HF Llama4TextConfig.moe_layers)
 *   expert_layer_period/offset           Jamba: i % period == offset
 *   otherwise                            every layer (Mixtral, MiniMax, gpt-oss, Gemma 4, Granite MoE)
 */
import type { DenseFfn, Ffn, MoeFfn } from '../types';
import { type Cfg, has, invalid, missing, optBool, optInt, optIntArray, optStr } from './fields';
import type { LayerSlot } from './hybrid';

/** Squared-ReLU MLPs have up and down only (Nemotron-H `mlp_hidden_act: relu2`). */
const UNGATED_ACTIVATIONS = ['relu2'];
/**
 * Families whose MLP is fc1 → act → fc2 with biases, not gated, whatever the activation
 * (vllm/model_executor/models/phi.py PhiMLP: fc1/fc2 ColumnParallel/RowParallelLinear, bias default True).
 */
const UNGATED_BIASED_MLP_FAMILIES = ['phi'];

export function buildFfns(cfg: Cfg, modelType: string, slots: readonly LayerSlot[]): Ffn[] {
  const numLayers = slots.length;
  const numExperts = optInt(cfg, ['num_local_experts', 'num_experts', 'n_routed_experts'], 0) ?? 0;
  const act = optStr(cfg, ['mlp_hidden_act', 'hidden_act', 'hidden_activation']) ?? 'silu';
  const fc1fc2 = UNGATED_BIASED_MLP_FAMILIES.includes(modelType);
  const gated = !UNGATED_ACTIVATIONS.includes(act) && !fc1fc2;
  const isGptOss = modelType === 'gpt_oss';
  const mlpBias = optBool(cfg, 'mlp_bias') ?? fc1fc2;
  const granite = modelType.startsWith('granitemoe');

  // Dense width: Llama 4 names its dense MLP intermediate_size_mlp; Granite MoE hybrids without experts
  // run only their shared MLP (HF GraniteMoeHybridDecoderLayer.shared_mlp).
  const denseWidth = (): number => {
    const w =
      optInt(cfg, 'intermediate_size_mlp') ??
      (granite && numExperts === 0 ? optInt(cfg, 'shared_intermediate_size') : undefined) ??
      optInt(cfg, ['intermediate_size', 'ffn_hidden_size', 'n_inner']);
    return w ?? missing(cfg, 'intermediate_size');
  };

  const isMoeLayer = moeLayerRule(cfg, numLayers, numExperts > 0);
  let moe: MoeFfn | null = null;
  const moeFfn = (): MoeFfn => {
    if (moe) return moe;
    if (numExperts <= 0) return missing(cfg, 'num_experts');
    const topK = optInt(cfg, ['num_experts_per_tok', 'experts_per_token', 'top_k_experts', 'moe_topk']) ?? missing(cfg, 'num_experts_per_tok');
    if (topK > numExperts) invalid(cfg, 'num_experts_per_tok', topK, `exceeds the ${numExperts} experts`);
    const expertIntermediateSize = optInt(cfg, ['moe_intermediate_size', 'intermediate_size']) ?? missing(cfg, 'moe_intermediate_size');
    let numSharedExperts = 0;
    let sharedIntermediateSize = 0;
    let sharedExpertGate = false;
    const nShared = optInt(cfg, 'n_shared_experts', 0);
    const qwenShared = optInt(cfg, 'shared_expert_intermediate_size', 0);
    const graniteShared = optInt(cfg, 'shared_intermediate_size', 0);
    if (nShared !== undefined && nShared > 0) {
      // DeepSeek: n_shared_experts × moe_intermediate_size, fused into one MLP; Nemotron-3 gives the width.
      numSharedExperts = nShared;
      sharedIntermediateSize = optInt(cfg, 'moe_shared_expert_intermediate_size') ?? nShared * expertIntermediateSize;
    } else if (qwenShared !== undefined && qwenShared > 0) {
      numSharedExperts = 1;
      sharedIntermediateSize = qwenShared;
      sharedExpertGate = true; // HF Qwen2MoeSparseMoeBlock / Qwen3NextSparseMoeBlock shared_expert_gate
    } else if (graniteShared !== undefined && graniteShared > 0) {
      numSharedExperts = 1;
      sharedIntermediateSize = graniteShared;
    } else if (modelType.startsWith('llama4')) {
      numSharedExperts = 1; // HF Llama4TextMoe.shared_expert = Llama4TextMLP(config): intermediate_size wide
      sharedIntermediateSize = expertIntermediateSize;
    }
    const parallelDense = optBool(cfg, 'enable_moe_block') === true ? denseWidth() : 0; // Gemma 4
    moe = {
      kind: 'moe',
      numExperts,
      topK,
      expertIntermediateSize,
      numSharedExperts,
      sharedIntermediateSize,
      gated,
      bias: isGptOss || mlpBias, // HF GptOssExperts: gate_up_proj_bias, down_proj_bias
      parallelDenseIntermediateSize: parallelDense,
      sharedExpertGate,
      // gpt-oss router bias; DeepSeek-style `e_score_correction_bias` (noaux_tc), MiniMax use_routing_bias, Nemotron-3.
      routerBias: isGptOss || optStr(cfg, 'topk_method') === 'noaux_tc' || optBool(cfg, 'use_routing_bias') === true || modelType === 'nemotron_h',
    };
    return moe;
  };
  let dense: DenseFfn | null = null;
  const denseFfn = (): DenseFfn => (dense ??= { kind: 'dense', intermediateSize: denseWidth(), gated, bias: mlpBias });

  return slots.map((slot, i): Ffn => {
    const kind = slot.ffn ?? (isMoeLayer(i) ? 'moe' : 'dense');
    if (kind === 'none') return { kind: 'none' };
    return kind === 'moe' ? moeFfn() : denseFfn();
  });
}

function moeLayerRule(cfg: Cfg, numLayers: number, hasExperts: boolean): (i: number) => boolean {
  if (!hasExperts) return () => false;
  if (has(cfg, 'mlp_only_layers') || has(cfg, 'decoder_sparse_step')) {
    const only = new Set(optIntArray(cfg, 'mlp_only_layers') ?? []);
    const step = optInt(cfg, 'decoder_sparse_step') ?? 1;
    return (i) => !only.has(i) && (i + 1) % step === 0;
  }
  if (has(cfg, 'first_k_dense_replace') || has(cfg, 'moe_layer_freq')) {
    const k = optInt(cfg, 'first_k_dense_replace', 0) ?? 0;
    const freq = optInt(cfg, 'moe_layer_freq') ?? 1;
    if (k > numLayers) invalid(cfg, 'first_k_dense_replace', k, `exceeds num_hidden_layers (${numLayers})`);
    return (i) => i >= k && i % freq === 0;
  }
  const listed = optIntArray(cfg, 'moe_layers');
  if (listed) {
    const set = new Set(listed);
    return (i) => set.has(i);
  }
  const step = optInt(cfg, 'interleave_moe_layer_step');
  if (step !== undefined) return (i) => (i + 1) % step === 0;
  const period = optInt(cfg, 'expert_layer_period');
  if (period !== undefined) {
    const offset = optInt(cfg, 'expert_layer_offset', 0) ?? 0;
    return (i) => i % period === offset;
  }
  return () => true;
}
