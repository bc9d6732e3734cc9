/**
 * Parameter counts from the real weight shapes of each layer type (element counts, not bytes).
 *
 * Every tensor is listed with how vLLM shards it under tensor parallelism, so the memory planner
 * and the perf model can reuse these shapes:
 *   'column'     split along the output dim (QKVParallelLinear, MergedColumnParallelLinear, FusedMoE w13)
 *   'row'        split along the input dim (RowParallelLinear, FusedMoE w2)
 *   'replicated' full copy on every rank (ReplicatedLinear, norms, routers)
 * (vllm/model_executor/layers/linear.py; layers/fused_moe/layer.py). GQA KV heads fewer than the TP
 * size are replicated by vLLM — that is the planner's job, not this file's.
 */
import type { Ffn, LayerSpec, Mixer, ParamCountsByComponent } from '../types';

export type TpSplit = 'column' | 'row' | 'replicated';

export interface WeightTensor {
  /** HF-style name within the layer, e.g. `self_attn.q_proj.weight`. */
  name: string;
  elements: number;
  tp: TpSplit;
}

const t = (name: string, elements: number, tp: TpSplit): WeightTensor => ({ name, elements, tp });
const sum = (ts: readonly WeightTensor[]): number => ts.reduce((a, x) => a + x.elements, 0);

/** Tensors of one layer's token mixer (attention / MLA / Mamba / DeltaNet), incl. its biases and inner norms. */
export function mixerTensors(mixer: Mixer, hiddenSize: number): WeightTensor[] {
  const h = hiddenSize;
  switch (mixer.kind) {
    case 'attention': {
      // HF LlamaAttention / Qwen2Attention / GptOssAttention shapes.
      const qOut = mixer.numHeads * mixer.headDim * (mixer.outputGate ? 2 : 1); // Qwen3-Next: query + gate
      const kvOut = mixer.numKvHeads * mixer.headDim;
      const ts = [t('self_attn.q_proj.weight', h * qOut, 'column'), t('self_attn.k_proj.weight', h * kvOut, 'column')];
      if (!mixer.kEqV) ts.push(t('self_attn.v_proj.weight', h * kvOut, 'column'));
      if (mixer.qkvBias) {
        ts.push(t('self_attn.q_proj.bias', qOut, 'column'), t('self_attn.k_proj.bias', kvOut, 'column'));
        if (!mixer.kEqV) ts.push(t('self_attn.v_proj.bias', kvOut, 'column'));
      }
      ts.push(t('self_attn.o_proj.weight', mixer.numHeads * mixer.headDim * h, 'row'));
      if (mixer.outputBias) ts.push(t('self_attn.o_proj.bias', h, 'replicated'));
      if (mixer.qkNorm === 'per-head') {
        ts.push(t('self_attn.q_norm.weight', mixer.headDim, 'replicated'), t('self_attn.k_norm.weight', mixer.headDim, 'replicated'));
      } else if (mixer.qkNorm === 'per-layer') {
        ts.push(t('self_attn.q_norm.weight', mixer.numHeads * mixer.headDim, 'column'), t('self_attn.k_norm.weight', kvOut, 'column'));
      }
      if (mixer.sinks) ts.push(t('self_attn.sinks', mixer.numHeads, 'column'));
      return ts;
    }
    case 'mla': {
      // DeepSeek-V2/V3 MLA (HF DeepseekV3Attention; vLLM deepseek_v2.py DeepseekV2MLAAttention).
      const qHead = mixer.qkNopeHeadDim + mixer.qkRopeHeadDim;
      const ts: WeightTensor[] = [];
      if (mixer.qLoraRank !== null) {
        ts.push(
          t('self_attn.q_a_proj.weight', h * mixer.qLoraRank, 'replicated'),
          t('self_attn.q_a_layernorm.weight', mixer.qLoraRank, 'replicated'),
          t('self_attn.q_b_proj.weight', mixer.qLoraRank * mixer.numHeads * qHead, 'column'),
        );
      } else {
        ts.push(t('self_attn.q_proj.weight', h * mixer.numHeads * qHead, 'column'));
      }
      ts.push(
        t('self_attn.kv_a_proj_with_mqa.weight', h * (mixer.kvLoraRank + mixer.qkRopeHeadDim), 'replicated'),
        t('self_attn.kv_a_layernorm.weight', mixer.kvLoraRank, 'replicated'),
        t('self_attn.kv_b_proj.weight', mixer.kvLoraRank * mixer.numHeads * (mixer.qkNopeHeadDim + mixer.vHeadDim), 'column'),
        t('self_attn.o_proj.weight', mixer.numHeads * mixer.vHeadDim * h, 'row'),
      );
      if (mixer.indexer) {
        // DeepSeek-V3.2 Indexer (vLLM deepseek_v2.py Indexer): wq_b from the q latent, wk, LayerNorm k_norm
        // (weight + bias), weights_proj. All ReplicatedLinear.
        const ix = mixer.indexer;
        const qIn = mixer.qLoraRank ?? h;
        ts.push(
          t('self_attn.indexer.wq_b.weight', qIn * ix.numHeads * ix.headDim, 'replicated'),
          t('self_attn.indexer.wk.weight', h * ix.headDim, 'replicated'),
          t('self_attn.indexer.k_norm', 2 * ix.headDim, 'replicated'),
          t('self_attn.indexer.weights_proj.weight', h * ix.numHeads, 'replicated'),
        );
      }
      return ts;
    }
    case 'mamba': {
      const inner = mixer.innerDim;
      const bias = mixer.projBias === true;
      const convBias = mixer.convBias !== false;
      if (mixer.version === 2) {
        // Mamba-2 (HF NemotronHMamba2Mixer / GraniteMoeHybridMambaLayer; vLLM MambaMixer2):
        // in_proj → [z, x, B, C, dt] = 2·inner + 2·groups·state + heads.
        const bc = 2 * mixer.numGroups * mixer.stateSize;
        const convDim = inner + bc;
        const inOut = 2 * inner + bc + mixer.numHeads;
        const ts = [
          t('mixer.in_proj.weight', h * inOut, 'column'),
          t('mixer.conv1d.weight', convDim * mixer.convKernel, 'column'),
          t('mixer.dt_bias', mixer.numHeads, 'column'),
          t('mixer.A_log', mixer.numHeads, 'column'),
          t('mixer.D', mixer.numHeads, 'column'),
          t('mixer.norm.weight', inner, 'column'),
          t('mixer.out_proj.weight', inner * h, 'row'),
        ];
        if (convBias) ts.push(t('mixer.conv1d.bias', convDim, 'column'));
        if (bias) ts.push(t('mixer.in_proj.bias', inOut, 'column'), t('mixer.out_proj.bias', h, 'replicated'));
        return ts;
      }
      // Mamba-1 (HF JambaMambaMixer): in_proj → [x, z]; x_proj → [dt, B, C]; dt_proj; A_log [inner, state];
      // D; Jamba's dt/B/C layernorms.
      const ts = [
        t('mamba.in_proj.weight', h * 2 * inner, 'column'),
        t('mamba.conv1d.weight', inner * mixer.convKernel, 'column'),
        t('mamba.x_proj.weight', inner * (mixer.dtRank + 2 * mixer.stateSize), 'row'),
        t('mamba.dt_proj.weight', mixer.dtRank * inner, 'column'),
        t('mamba.dt_proj.bias', inner, 'column'),
        t('mamba.A_log', inner * mixer.stateSize, 'column'),
        t('mamba.D', inner, 'column'),
        t('mamba.dt_layernorm.weight', mixer.dtRank, 'replicated'),
        t('mamba.b_layernorm.weight', mixer.stateSize, 'replicated'),
        t('mamba.c_layernorm.weight', mixer.stateSize, 'replicated'),
        t('mamba.out_proj.weight', inner * h, 'row'),
      ];
      if (convBias) ts.push(t('mamba.conv1d.bias', inner, 'column'));
      if (bias) ts.push(t('mamba.in_proj.bias', 2 * inner, 'column'), t('mamba.out_proj.bias', h, 'replicated'));
      return ts;
    }
    case 'linear-attention': {
      // Gated DeltaNet (HF Qwen3NextGatedDeltaNet; vLLM qwen3_next.py): in_proj_qkvz, in_proj_ba,
      // conv1d over q,k,v (no bias), dt_bias, A_log, gated RMSNorm over one value head, out_proj.
      const keyDim = mixer.numKeyHeads * mixer.keyHeadDim;
      const valueDim = mixer.numValueHeads * mixer.valueHeadDim;
      const convDim = 2 * keyDim + valueDim;
      return [
        t('linear_attn.in_proj_qkvz.weight', h * (2 * keyDim + 2 * valueDim), 'column'),
        t('linear_attn.in_proj_ba.weight', h * 2 * mixer.numValueHeads, 'column'),
        t('linear_attn.conv1d.weight', convDim * mixer.convKernel, 'column'),
        t('linear_attn.dt_bias', mixer.numValueHeads, 'column'),
        t('linear_attn.A_log', mixer.numValueHeads, 'column'),
        t('linear_attn.norm.weight', mixer.valueHeadDim, 'replicated'),
        t('linear_attn.out_proj.weight', valueDim * h, 'row'),
      ];
    }
    case 'none':
      return [];
    default: {
      const _: never = mixer;
      return _;
    }
  }
}

export const mixerParams = (mixer: Mixer, hiddenSize: number): number => sum(mixerTensors(mixer, hiddenSize));

/** One MLP: gate+up (fused, column) and down (row); plain MLP has up and down only. */
function mlpTensors(prefix: string, hiddenSize: number, inter: number, gated: boolean, bias: boolean, copies = 1): WeightTensor[] {
  const upOut = (gated ? 2 : 1) * inter;
  const ts = [
    t(`${prefix}.${gated ? 'gate_up_proj' : 'up_proj'}.weight`, copies * hiddenSize * upOut, 'column'),
    t(`${prefix}.down_proj.weight`, copies * inter * hiddenSize, 'row'),
  ];
  if (bias) {
    ts.push(t(`${prefix}.${gated ? 'gate_up_proj' : 'up_proj'}.bias`, copies * upOut, 'column'));
    ts.push(t(`${prefix}.down_proj.bias`, copies * hiddenSize, 'replicated'));
  }
  return ts;
}

export interface FfnTensors {
  dense: WeightTensor[];
  /** All routed experts (numExperts copies). */
  routedExperts: WeightTensor[];
  sharedExperts: WeightTensor[];
  router: WeightTensor[];
}

export function ffnTensors(ffn: Ffn, hiddenSize: number): FfnTensors {
  const h = hiddenSize;
  switch (ffn.kind) {
    case 'dense':
      return { dense: mlpTensors('mlp', h, ffn.intermediateSize, ffn.gated, ffn.bias), routedExperts: [], sharedExperts: [], router: [] };
    case 'moe': {
      const dense = ffn.parallelDenseIntermediateSize > 0 ? mlpTensors('mlp', h, ffn.parallelDenseIntermediateSize, ffn.gated, false) : [];
      const routedExperts = mlpTensors('experts', h, ffn.expertIntermediateSize, ffn.gated, ffn.bias, ffn.numExperts);
      const sharedExperts =
        ffn.sharedIntermediateSize > 0 ? mlpTensors('shared_experts', h, ffn.sharedIntermediateSize, ffn.gated, false) : [];
      if (ffn.sharedExpertGate && ffn.sharedIntermediateSize > 0) sharedExperts.push(t('shared_expert_gate.weight', h, 'replicated'));
      const router = [t('gate.weight', h * ffn.numExperts, 'replicated')];
      if (ffn.routerBias) router.push(t('gate.bias', ffn.numExperts, 'replicated'));
      return { dense, routedExperts, sharedExperts, router };
    }
    case 'none':
      return { dense: [], routedExperts: [], sharedExperts: [], router: [] };
    default: {
      const _: never = ffn;
      return _;
    }
  }
}

export interface FfnParams {
  denseFfn: number;
  routedExperts: number;
  sharedExperts: number;
  router: number;
  total: number;
  /** Routed experts counted topK / numExperts. */
  activePerToken: number;
}

export function ffnParams(ffn: Ffn, hiddenSize: number): FfnParams {
  const ts = ffnTensors(ffn, hiddenSize);
  const denseFfn = sum(ts.dense);
  const routedExperts = sum(ts.routedExperts);
  const sharedExperts = sum(ts.sharedExperts);
  const router = sum(ts.router);
  const activeRouted = ffn.kind === 'moe' ? (routedExperts * ffn.topK) / ffn.numExperts : 0;
  return {
    denseFfn,
    routedExperts,
    sharedExperts,
    router,
    total: denseFfn + routedExperts + sharedExperts + router,
    activePerToken: denseFfn + activeRouted + sharedExperts + router,
  };
}

// ---------------------------------------------------------------------------------------------
// Whole-model breakdown
// ---------------------------------------------------------------------------------------------

export interface BreakdownInput {
  hiddenSize: number;
  vocabSize: number;
  tiedEmbeddings: boolean;
  layers: readonly LayerSpec[];
  /** RMSNorm/LayerNorm weight vectors (of hidden size) per layer, outside the mixer. */
  normsPerLayer: readonly number[];
  /** Extra embedding tables (Gemma 3n/4 per-layer input embeddings), elements. */
  extraEmbeddingParams: number;
  visionParams: number;
}

/**
 * Totals by component. `activePerToken` = the weights one decode token reads: every non-expert
 * matrix, topK/numExperts of the routed experts, and the lm_head (the tied embedding when tied);
 * the input embedding is a row lookup and is NOT counted. That is OpenAI's convention for gpt-oss
 * (5.1B active of 116.8B); Qwen and Mistral also count the input embedding (Qwen3-30B-A3B "3.3B"
 * = 3.0B + 0.3B embedding), so add `embedding` to compare with theirs.
 */
export function paramBreakdown(input: BreakdownInput): ParamCountsByComponent {
  const { hiddenSize: h, vocabSize, tiedEmbeddings, layers } = input;
  let mixer = 0;
  let denseFfn = 0;
  let routedExperts = 0;
  let sharedExperts = 0;
  let router = 0;
  let activeFfn = 0;
  for (const layer of layers) {
    mixer += mixerParams(layer.mixer, h);
    const f = ffnParams(layer.ffn, h);
    denseFfn += f.denseFfn;
    routedExperts += f.routedExperts;
    sharedExperts += f.sharedExperts;
    router += f.router;
    activeFfn += f.activePerToken;
  }
  const norms = input.normsPerLayer.reduce((a, n) => a + n * h, 0) + h; // + final norm
  const embedding = vocabSize * h + input.extraEmbeddingParams;
  const lmHead = tiedEmbeddings ? 0 : vocabSize * h;
  const total = embedding + lmHead + mixer + denseFfn + routedExperts + sharedExperts + router + norms + input.visionParams;
  const activePerToken = mixer + activeFfn + norms + vocabSize * h;
  return { embedding, lmHead, mixer, denseFfn, routedExperts, sharedExperts, router, norms, vision: input.visionParams, total, activePerToken };
}

/**
 * One multi-token-prediction module (DeepSeek-V3, vLLM models/deepseek_mtp.py): enorm + hnorm,
 * eh_proj (2h → h), one decoder layer with its two norms, shared_head.norm, and — in DeepSeek
 * checkpoints — its own copy of embed_tokens and shared_head.head.
 */
export function mtpLayerParams(layer: LayerSpec, hiddenSize: number, vocabSize: number, storesEmbeddings: boolean): number {
  const h = hiddenSize;
  const decoder = mixerParams(layer.mixer, h) + ffnParams(layer.ffn, h).total + 2 * h;
  return decoder + 2 * h + 2 * h * h + h + (storesEmbeddings ? 2 * vocabSize * h : 0);
}
