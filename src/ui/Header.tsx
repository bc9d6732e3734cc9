/** Tool name, what it is for, and the light/dark toggle. */
import { useAppStore } from '../state/useAppStore';
import { useTheme } from './useTheme';

export function Header() {
  const theme = useTheme();
  const setTheme = useAppStore((s) => s.setTheme);
  const next = theme === 'dark' ? 'light' : 'dark';
  return (
    <header className="app-header">
      <div>
        <h1>GPU Fit</h1>
        <p className="tagline">Which GPUs and layouts serve this LLM — memory planned as vLLM does, speed and cost estimated.</p>
      </div>
      <button type="button" className="theme-toggle" aria-label={`Switch to ${next} theme`} onClick={() => setTheme(next)}>
        {theme === 'dark' ? '☀ Light' : '☾ Dark'}
      </button>
    </header>
  );
}
