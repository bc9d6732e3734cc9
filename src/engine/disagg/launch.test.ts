import { describe, expect, it } from 'vitest';
import { disaggLaunch, LLMD_ROUTING_NOTE, NIXL_KV_TRANSFER_CONFIG } from './launch';

describe('disaggLaunch', () => {
  const l = disaggLaunch('meta-llama/Llama-3.1-70B-Instruct', { layout: { tp: 4, pp: 1 }, replicas: 3 }, { layout: { tp: 8, pp: 2 }, replicas: 2 }, ['--max-model-len 8192']);

  it('gives each pool one vllm serve with the NixlConnector as both producer and consumer, its own layout and side-channel port', () => {
    expect(JSON.parse(NIXL_KV_TRANSFER_CONFIG)).toEqual({ kv_connector: 'NixlConnector', kv_role: 'kv_both' });
    expect(l.prefill.command).toBe(
      `VLLM_NIXL_SIDE_CHANNEL_PORT=5600 vllm serve meta-llama/Llama-3.1-70B-Instruct --port 8100 --tensor-parallel-size 4 --max-model-len 8192 --kv-transfer-config '${NIXL_KV_TRANSFER_CONFIG}'`,
    );
    expect(l.decode.command).toContain('--tensor-parallel-size 8 --pipeline-parallel-size 2');
    expect(l.decode.command).toContain('VLLM_NIXL_SIDE_CHANNEL_PORT=5601');
    expect([l.prefill.replicas, l.prefill.gpusPerReplica, l.decode.replicas, l.decode.gpusPerReplica]).toEqual([3, 4, 2, 16]);
  });

  it('names the proxy and the llm-d shape with the same counts', () => {
    expect(l.proxy).toContain('toy_proxy_server.py');
    expect(l.proxy).toContain('<3 prefill host(s)>');
    expect(l.llmd).toEqual({ prefill: { replicas: 3, parallelism: { tensor: 4 } }, decode: { replicas: 2, parallelism: { tensor: 8 } } });
  });

  it('leaves out the parallel flags at size 1', () => {
    const one = disaggLaunch('m', { layout: { tp: 1, pp: 1 }, replicas: 1 }, { layout: { tp: 1, pp: 1 }, replicas: 1 });
    expect(one.prefill.command).not.toContain('parallel-size');
  });

  it('wide EP: --data-parallel-size and --enable-expert-parallel, GPUs per replica tp × dp, llm-d data parallelism', () => {
    const ep = disaggLaunch('deepseek-ai/DeepSeek-R1', { layout: { tp: 8, pp: 1 }, replicas: 2 }, { layout: { tp: 1, pp: 1, dp: 8, ep: true }, replicas: 3 });
    expect(ep.decode.command).toContain('--data-parallel-size 8 --enable-expert-parallel');
    expect(ep.decode.command).not.toContain('--tensor-parallel-size');
    expect(ep.decode.gpusPerReplica).toBe(8);
    expect(ep.llmd.decode).toEqual({ replicas: 3, parallelism: { tensor: 1, data: 8, expert: true } });
    expect(ep.llmd.prefill).toEqual({ replicas: 2, parallelism: { tensor: 8 } });
    expect(ep.prefill.command).not.toContain('expert');
  });

  it('says which router each shape implies: the toy proxy round-robin, llm-d scorer-based (the simulator\'s least-loaded)', () => {
    expect(l.notes).toContain(LLMD_ROUTING_NOTE);
    expect(LLMD_ROUTING_NOTE).toMatch(/round-robin/);
    expect(LLMD_ROUTING_NOTE).toMatch(/--routing least-loaded/);
  });
});
