/** Saved scenarios: name the current inputs, come back to them after a reload (kept in localStorage). */
import { useId, useState } from 'react';
import { cleanScenarioName } from '../../state/savedWork';
import { useAppStore } from '../../state/useAppStore';

export function ScenariosPanel() {
  const scenarios = useAppStore((s) => s.scenarios);
  const saveScenario = useAppStore((s) => s.saveScenario);
  const deleteScenario = useAppStore((s) => s.deleteScenario);
  const loadScenario = useAppStore((s) => s.loadScenario);
  const [draft, setDraft] = useState('');
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
          saveScenario(name, new Date().toISOString());
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
              <span className="scenario-name">{s.name}</span>{' '}
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
    </fieldset>
  );
}
