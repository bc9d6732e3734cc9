/**
 * The CLI's own defaults, where a flag is left out and the engine has no setting of its own
 * (serving defaults are the engine's DEFAULT_SERVING_SETTINGS). Read by the flag readers and printed
 * by the help (commands.ts), so the two cannot disagree.
 */
import type { Layout, ServingEngine } from '../engine/types';

/** One GPU, no parallelism: what `vllm serve` runs without parallel flags. */
export const DEFAULT_LAYOUT: Layout = { tp: 1, pp: 1, dp: 1, ep: false };

/**
 * One 8-GPU node: the replica the recommender always tries (recommend.ts SINGLE_NODE_REPLICA_GPUS; a test checks
 * they agree) and the page's default budget. Not imported from recommend.ts so that `--help` does not
 * load the engine.
 */
export const DEFAULT_MAX_GPUS = 8;

export const DEFAULT_SERVING_ENGINE: ServingEngine = 'vllm';

/**
 * Requests per simulated run of `recommend --rate` (engine/sim/capacity.ts CAPACITY_NUM_REQUESTS; a
 * test checks they agree). Not imported from capacity.ts so that `--help` does not load the perf model.
 */
export const DEFAULT_CAPACITY_NUM_REQUESTS = 300;
