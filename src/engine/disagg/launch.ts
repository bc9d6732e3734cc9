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
    prefill: { replicas: number; parallelism: { tensor: number } };
    decode: { replicas: number; parallelism: { tensor: number } };
  };
  notes: string[];
}

function serveCommand(modelId: string, layout: Pick<Layout, 'tp' | 'pp'>, port: number, sidePort: number, extraArgs: readonly string[]): string {
  const parts = [`VLLM_NIXL_SIDE_CHANNEL_PORT=${sidePort}`, 'vllm serve', modelId, `--port ${port}`];
  if (layout.tp > 1) parts.push(`--tensor-parallel-size ${layout.tp}`);
  if (layout.pp > 1) parts.push(`--pipeline-parallel-size ${layout.pp}`);
  parts.push(...extraArgs, `--kv-transfer-config '${NIXL_KV_TRANSFER_CONFIG}'`);
  return parts.join(' ');
}

export function disaggLaunch(
  modelId: string,
  prefill: { layout: Pick<Layout, 'tp' | 'pp'>; replicas: number },
  decode: { layout: Pick<Layout, 'tp' | 'pp'>; replicas: number },
  extraArgs: readonly string[] = [],
): DisaggLaunch {
  const gpus = (l: Pick<Layout, 'tp' | 'pp'>): number => Math.max(1, l.tp) * Math.max(1, l.pp);
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
      prefill: { replicas: prefill.replicas, parallelism: { tensor: Math.max(1, prefill.layout.tp) } },
      decode: { replicas: decode.replicas, parallelism: { tensor: Math.max(1, decode.layout.tp) } },
    },
    notes: [
      'Each replica runs on its own GPUs; give every instance on one host its own --port and VLLM_NIXL_SIDE_CHANNEL_PORT.',
      'The proxy sends each request to a prefill instance with max_tokens 1 and kv_transfer_params {do_remote_decode: true}, then to a decode instance, which pulls the KV over NIXL.',
    ],
  };
}
