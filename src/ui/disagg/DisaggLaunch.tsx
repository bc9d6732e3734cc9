/** [disagg] Launch commands of the selected P/D row (engine/disagg/launch.ts): vLLM per pool with the NixlConnector, the proxy, and llm-d's replica counts. */
import type { ReactNode } from 'react';
import type { DisaggRow } from '../../engine/disagg/disaggRows';
import CopyButton from '../results/CopyButton';
import { planText } from './disaggVerdictText';

export default function DisaggLaunch({ row }: { row: DisaggRow }): ReactNode {
  const launch = row.plan?.launch;
  if (launch === undefined) return <p className="hint">This P/D pair has no plan to launch.</p>;
  const llmd = `prefill:\n  replicas: ${launch.llmd.prefill.replicas}\n  parallelism:\n    tensor: ${launch.llmd.prefill.parallelism.tensor}\ndecode:\n  replicas: ${launch.llmd.decode.replicas}\n  parallelism:\n    tensor: ${launch.llmd.decode.parallelism.tensor}`;
  const blocks: { title: string; text: string }[] = [
    { title: `Prefill (× ${launch.prefill.replicas}, ${launch.prefill.gpusPerReplica} GPU${launch.prefill.gpusPerReplica === 1 ? '' : 's'} each)`, text: launch.prefill.command },
    { title: `Decode (× ${launch.decode.replicas}, ${launch.decode.gpusPerReplica} GPU${launch.decode.gpusPerReplica === 1 ? '' : 's'} each)`, text: launch.decode.command },
    { title: 'Proxy (vLLM toy_proxy_server.py)', text: launch.proxy },
    { title: 'llm-d ModelService values', text: llmd },
  ];
  return (
    <section className="disagg-launch" aria-label="P/D launch commands">
      <h4>Launch: {planText(row)}</h4>
      {blocks.map((b) => (
        <div key={b.title} className="launch-block">
          <p>
            {b.title} <CopyButton text={b.text} label={`Copy: ${b.title}`} />
          </p>
          <pre>
            <code>{b.text}</code>
          </pre>
        </div>
      ))}
      <ul className="note">
        {launch.notes.map((n) => (
          <li key={n}>{n}</li>
        ))}
      </ul>
    </section>
  );
}
