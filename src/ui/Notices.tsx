/**
 * Input the page did not use, listed until the user dismisses it: values rejected from a link or a
 * saved scenario, and saved data that was reset. Each origin gets its own heading, so a reset of
 * corrupt saved data is not announced as a problem with the link.
 */
import { useId } from 'react';
import { NOTICE_ORIGINS, type Notice, type NoticeOrigin } from '../state/notices';
import { useAppStore } from '../state/useAppStore';

const HEADINGS: Record<NoticeOrigin, string> = {
  link: 'Some settings from the link were not used:',
  scenario: 'Some settings from the saved scenario were not used:',
  'saved-data': 'Data saved in this browser was reset:',
};

function NoticeGroup({ origin, notices }: { origin: NoticeOrigin; notices: readonly Notice[] }) {
  const headingId = useId();
  return (
    <>
      <p id={headingId}>{HEADINGS[origin]}</p>
      <ul aria-labelledby={headingId}>
        {notices.map((notice, i) => (
          <li key={i}>{notice.text}</li>
        ))}
      </ul>
    </>
  );
}

export function Notices() {
  const notices = useAppStore((s) => s.ui.notices);
  const dismiss = useAppStore((s) => s.dismissNotices);
  if (notices.length === 0) return null;
  return (
    <div role="alert" className="notices">
      {NOTICE_ORIGINS.map((origin) => {
        const group = notices.filter((n) => n.origin === origin);
        return group.length === 0 ? null : <NoticeGroup key={origin} origin={origin} notices={group} />;
      })}
      <button type="button" onClick={dismiss}>
        Dismiss
      </button>
    </div>
  );
}
