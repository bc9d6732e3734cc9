/**
 * `npm run validate`: the engine's accuracy against measured ground truth (../shared/truth, copied
 * rows are read from there when present, else from fixtures/truth).
 *  - memory: every vLLM start-up log row → predicted vs logged weights, KV pool, blocks, max concurrency;
 *            then every SGLang / TensorRT-LLM start-up log row (validate/memoryEngines.ts);
 *  - perf:   every published benchmark row → predicted vs measured throughput, ITL, TTFT.
 *  - shapes: speculative decoding, prefix caching and P/D rows (validate/shapes.ts): a held-out
 *            check of the deployment shapes, nothing fitted to it.
 * Prints each row, the median absolute error per column and (perf) the error by source, engine,
 * precision, GPU generation and metric. Pass `memory` or `perf` to run one half, `cv` for the perf
 * calibration's cross-validation by model and leave-one-source-out (held-out error; ~30 s, not in `all`).
 */
import { runMemoryValidation } from './validate/memory';
import { runEngineMemoryValidation } from './validate/memoryEngines';
import { runPerfValidation } from './validate/perf';
import { runPerfCrossValidation } from './validate/perfCv';
import { runShapesValidation } from './validate/shapes';

const which = process.argv[2] ?? 'all';
if (which === 'all' || which === 'memory') runMemoryValidation({ print: true });
if (which === 'all' || which === 'memory') runEngineMemoryValidation({ print: true });
if (which === 'all' || which === 'perf') runPerfValidation({ sim: true });
if (which === 'all' || which === 'shapes') runShapesValidation();
if (which === 'cv') runPerfCrossValidation(process.argv.slice(3));
