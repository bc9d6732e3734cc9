/**
 * Saved scenarios: name the current inputs, come back to them after a reload (kept in localStorage),
 * and tick two to see their verdicts and key figures side by side (ScenarioCompare).
 */
import { useId, useState } from 'react';
import { cleanScenarioName, type SavedScenario } from '../../state/savedWork';
import { useAppStore, useAppStoreApi } from '../../state/useAppStore';
import { ScenarioCompare } from './ScenarioCompare';
import { scenarioSnapshot } from './scenarioSnapshot';

export function ScenariosPanel() {
  const scenarios = useAppStore((s) => s.scenarios);
  const saveScenario = useAppStore((s) => s.saveScenario);
  const deleteScenario = useAppStore((s) => s.deleteScenario);
  const loadScenario = useAppStore((s) => s.loadScenario);
  const store = useAppStoreApi();
  const [draft, setDraft] = useState('');
  // Ticked for comparison, oldest tick first; a third tick replaces the oldest.
  const [compared, setCompared] = useState<readonly string[]>([]);
  const toggleCompared = (scenarioName: string) =>
    setCompared((now) => (now.includes(scenarioName) ? now.filter((n) => n !== scenarioName) : [...now, scenarioName].slice(-2)));
  const pair = compared.map((n) => scenarios.find((s) => s.name === n)).filter((s): s is SavedScenario => s !== undefined);
  const id = useId();
  const name = cleanScenarioName(draft);

  return (
    <fieldset className="scenarios">
      <legend>Saved scenarios</legend>
      <form
        className="scenario-save"
        onSubmit={(e) => {
          e.preventDefault();
          if (name === '') return;
          saveScenario(name, new Date().toISOString(), scenarioSnapshot(store.getState().results));
          setDraft('');
        }}
      >
        <label htmlFor={id}>Scenario name</label>
        <input id={id} type="text" value={draft} maxLength={80} onChange={(e) => setDraft(e.target.value)} placeholder="e.g. chat, 70B on H100" />
        <button type="submit" disabled={name === ''}>
          Save scenario
        </button>
      </form>
      {scenarios.length === 0 ? (
        <p className="muted">Saved in this browser only (localStorage); the token is never saved.</p>
      ) : (
        <ul className="scenario-list" aria-label="Saved scenarios">
          {scenarios.map((s) => (
            <li key={s.name}>
              <label className="check scenario-compare-tick">
                <input type="checkbox" checked={compared.includes(s.name)} onChange={() => toggleCompared(s.name)} aria-label={`Compare scenario ${s.name}`} />
                <span className="scenario-name">{s.name}</span>
              </label>{' '}
              <button type="button" onClick={() => loadScenario(s.name)} aria-label={`Load scenario ${s.name}`}>
                Load
              </button>{' '}
              <button type="button" onClick={() => deleteScenario(s.name)} aria-label={`Delete scenario ${s.name}`}>
                Delete
              </button>
            </li>
          ))}
        </ul>
      )}
      {scenarios.length < 2 ? null : pair.length === 2 && pair[0] !== undefined && pair[1] !== undefined ? (
        <ScenarioCompare scenarios={[pair[0], pair[1]]} />
      ) : (
        <p className="muted">Tick two scenarios to see them side by side.</p>
      )}
    </fieldset>
  );
}
