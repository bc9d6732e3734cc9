/**
 * [disagg] How to launch a prefill/decode deployment: vLLM's own P/D (one `vllm serve` per pool
 * replica with the NixlConnector, and a proxy that sends each request to a prefill instance with
 * max_tokens 1, then to a decode instance) and llm-d's shape (prefill and decode replica counts and
 * tensor parallelism, as the llm-d ModelService Helm chart takes them).
 *
 * Sources:
 * - `--kv-transfer-config '{"kv_connector":"NixlConnector","kv_role":"kv_both"}'` and the per-instance
 *   `VLLM_NIXL_SIDE_CHANNEL_PORT`: vLLM docs/features/nixl_connector_usage.md
 *   (https://docs.vllm.ai/en/latest/features/nixl_connector_usage.html) and
 *   tests/v1/kv_connector/nixl_integration/run_accuracy_test.sh (both roles `kv_both`);
 * - the proxy: tests/v1/kv_connector/nixl_integration/toy_proxy_server.py (--prefiller-hosts /
 *   --decoder-hosts);
 * - llm-d: the ModelService chart's values (llm-d-incubation/llm-d-modelservice,
 *   charts/llm-d-modelservice/values.yaml: `prefill.replicas`, `decode.replicas`,
 *   `*.parallelism.tensor`), as in llm-d's pd-disaggregation guide.
 */
import type { Layout } from '../types';

export const NIXL_KV_TRANSFER_CONFIG = '{"kv_connector":"NixlConnector","kv_role":"kv_both"}';

/** First side-channel port (vLLM's VLLM_NIXL_SIDE_CHANNEL_PORT default is 5600); each instance on a host takes its own. */
const SIDE_CHANNEL_PORT = 5600;
const PREFILL_HTTP_PORT = 8100;
const DECODE_HTTP_PORT = 8200;

export interface PoolLaunch {
  role: 'prefill' | 'decode';
  replicas: number;
  gpusPerReplica: number;
  /** One replica's command (each replica on its own GPUs, host and ports). */
  command: string;
}

export interface DisaggLaunch {
  prefill: PoolLaunch;
  decode: PoolLaunch;
  proxy: string;
  /** llm-d ModelService values of the same shape. */
  llmd: {
    prefill: { replicas: number; parallelism: { tensor: number; data?: number; expert?: boolean } };
    decode: { replicas: number; parallelism: { tensor: number; data?: number; expert?: boolean } };
  };
  notes: string[];
}

/**
 * Which router each launch shape implies (routing.ts): vLLM's toy proxy cycles through each pool's
 * servers (round-robin, the simulator's default); llm-d's inference scheduler (the gateway's endpoint
 * picker) scores pods by queue depth, KV-cache utilisation and prefix hits (llm-d-inference-scheduler
 * scorers), which the simulator's 'least-loaded' routing approximates without the prefix scorer.
 */
export const LLMD_ROUTING_NOTE =
  "Routing: vLLM's toy proxy is round-robin (what the figures assume by default); llm-d's inference scheduler picks pods by queue depth, KV-cache utilisation and prefix-cache scorers, closest to the simulator's least-loaded routing (the page's Routing choice, CLI --routing least-loaded; its prefix scorer is not modelled).";

type PoolLayout = Pick<Layout, 'tp' | 'pp'> & Partial<Pick<Layout, 'dp' | 'ep'>>;

/** DP ranks of one replica with expert parallelism (vLLM --data-parallel-size with --enable-expert-parallel), else 1. */
const dpRanks = (l: PoolLayout): number => (l.ep === true ? Math.max(1, Math.floor(l.dp ?? 1)) : 1);

function serveCommand(modelId: string, layout: PoolLayout, port: number, sidePort: number, extraArgs: readonly string[]): string {
  const parts = [`VLLM_NIXL_SIDE_CHANNEL_PORT=${sidePort}`, 'vllm serve', modelId, `--port ${port}`];
  if (layout.tp > 1) parts.push(`--tensor-parallel-size ${layout.tp}`);
  if (layout.pp > 1) parts.push(`--pipeline-parallel-size ${layout.pp}`);
  // Wide EP (vLLM's data-parallel deployment docs): DP attention ranks, the experts spread over all of their GPUs.
  if (dpRanks(layout) > 1) parts.push(`--data-parallel-size ${dpRanks(layout)}`);
  if (layout.ep === true) parts.push('--enable-expert-parallel');
  parts.push(...extraArgs, `--kv-transfer-config '${NIXL_KV_TRANSFER_CONFIG}'`);
  return parts.join(' ');
}

export function disaggLaunch(
  modelId: string,
  prefill: { layout: PoolLayout; replicas: number },
  decode: { layout: PoolLayout; replicas: number },
  extraArgs: readonly string[] = [],
): DisaggLaunch {
  const gpus = (l: PoolLayout): number => Math.max(1, l.tp) * Math.max(1, l.pp) * dpRanks(l);
  // llm-d ModelService parallelism: `data` only for an EP pool (the JSON of a TP-only pool stays as it was).
  const parallelism = (l: PoolLayout) => ({ tensor: Math.max(1, l.tp), ...(l.ep === true ? { data: dpRanks(l), expert: true } : {}) });
  return {
    prefill: {
      role: 'prefill',
      replicas: prefill.replicas,
      gpusPerReplica: gpus(prefill.layout),
      command: serveCommand(modelId, prefill.layout, PREFILL_HTTP_PORT, SIDE_CHANNEL_PORT, extraArgs),
    },
    decode: {
      role: 'decode',
      replicas: decode.replicas,
      gpusPerReplica: gpus(decode.layout),
      command: serveCommand(modelId, decode.layout, DECODE_HTTP_PORT, SIDE_CHANNEL_PORT + 1, extraArgs),
    },
    proxy:
      'python tests/v1/kv_connector/nixl_integration/toy_proxy_server.py --port 8000 ' +
      `--prefiller-hosts <${prefill.replicas} prefill host(s)> --prefiller-ports ${PREFILL_HTTP_PORT} ` +
      `--decoder-hosts <${decode.replicas} decode host(s)> --decoder-ports ${DECODE_HTTP_PORT}`,
    llmd: {
      prefill: { replicas: prefill.replicas, parallelism: parallelism(prefill.layout) },
      decode: { replicas: decode.replicas, parallelism: parallelism(decode.layout) },
    },
    notes: [
      'Each replica runs on its own GPUs; give every instance on one host its own --port and VLLM_NIXL_SIDE_CHANNEL_PORT.',
      'The proxy sends each request to a prefill instance with max_tokens 1 and kv_transfer_params {do_remote_decode: true}, then to a decode instance, which pulls the KV over NIXL.',
      LLMD_ROUTING_NOTE,
    ],
  };
}
