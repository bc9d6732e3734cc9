/** Values the page rejected (a tampered or outdated link), listed until the user dismisses them. */
import { useAppStore } from '../state/useAppStore';

export function Notices() {
  const notices = useAppStore((s) => s.ui.notices);
  const dismiss = useAppStore((s) => s.dismissNotices);
  if (notices.length === 0) return null;
  return (
    <div role="alert" className="notices">
      <p>Some settings from the link were not used:</p>
      <ul>
        {notices.map((notice, i) => (
          <li key={i}>{notice}</li>
        ))}
      </ul>
      <button type="button" onClick={dismiss}>
        Dismiss
      </button>
    </div>
  );
}
