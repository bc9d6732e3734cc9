/**
 * What SGLang's and TensorRT-LLM's plans read from vLLM's GPU-independent preparation
 * (../prepareLayout.ts): per pipeline stage the weight shard, the activation peak of a dummy
 * forward, and the KV bytes one token (and the constant state one request) costs on the stage's
 * layers. The three engines load the same Hugging Face checkpoints with the same TP/PP sharding
 * (column/row-parallel linears, KV heads split or replicated, MLA latent kept whole), so the shard
 * and the per-token cache cell are shared; only how each engine sizes its pool differs.
 */
import type { PreparedLayout } from '../preparedLayout';

export interface EngineStageCost {
  weightsBytes: number;
  /** vLLM's activation rule for the prepared token budget (used by TensorRT-LLM's profiling run). */
  activationBytes: number;
  /** Σ over the stage's layers of KV bytes per token (K and V, or the MLA latent). */
  kvBytesPerToken: number;
  /** Σ over the stage's layers of constant per-request state (Mamba / DeltaNet). */
  stateBytesPerRequest: number;
  /** Layers of the stage (CUDA-graph and explain lines). */
  numLayers: number;
}

export function engineStageCosts(prepared: PreparedLayout): EngineStageCost[] {
  return prepared.stages.map((stage) => {
    let kvBytesPerToken = 0;
    let stateBytesPerRequest = 0;
    for (let i = stage.view.start; i < stage.view.end; i += 1) {
      const spec = prepared.kvLayout.layers[i]?.spec;
      if (spec === undefined) continue;
      kvBytesPerToken += spec.bytesPerToken;
      stateBytesPerRequest += spec.stateBytes;
    }
    return {
      weightsBytes: stage.weightsBytes,
      activationBytes: stage.activationBytes,
      kvBytesPerToken,
      stateBytesPerRequest,
      numLayers: stage.view.end - stage.view.start,
    };
  });
}
