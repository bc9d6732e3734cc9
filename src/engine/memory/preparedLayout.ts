/**
 * What the GPU-independent half of a memory plan holds (built by prepareLayout.ts, kept in the
 * session's caches, cache/modelCaches.ts, and finished per GPU by planMemory.ts). Types only.
 */
import type { Dtype, MemoryExplainText, MemoryPlan } from '../types';
import type { KvCacheLayout, StageKvCosts, StageKvView } from './blocks';

/** One pipeline stage: what its GPUs hold before the KV cache, and its KV page / request figures. */
export interface PreparedStage {
  view: StageKvView;
  kv: StageKvCosts;
  weightsBytes: number;
  activationBytes: number;
  /** KV bytes one request of max_model_len needs on this stage. */
  neededBytes: number;
}

export interface PreparedLayout {
  kind: 'prepared';
  modelDtype: Dtype;
  kvBytes: number;
  blockSizeTokens: number;
  kvLayout: KvCacheLayout;
  /** Stage 0 first (the GPU the plan reports). */
  stages: readonly PreparedStage[];
  nonTorchBytes: number;
  worstWeightsBytes: number;
  /** kvCacheTokens: number of block-table groups and their smallest block. */
  kvGroupCount: number;
  minGroupBlockTokens: number;
  /** Stage 0: blocks one request of max_model_len takes (maxConcurrency's divisor). */
  blocksPerRequest: number;
  kvBytesPerToken: number;
  stateBytesPerRequest: number;
  kvGroups: MemoryPlan['kvGroups'];
  /** Stage 0's block: page bytes × layers sharing it. */
  pageBytes: number;
  layersPerBlock: number;
  /** Explain lines and fragments that do not depend on the GPU. */
  text: MemoryExplainText;
}

/** Why no plan can be built: the layout is rejected, or the KV cache cannot be laid out. */
export interface PreparedFailure {
  kind: 'invalid-layout';
  message: string;
}
