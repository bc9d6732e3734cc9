// @vitest-environment jsdom
import { act, cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { Notice } from '../state/notices';
import { createAppStore } from '../state/store';
import { AppStoreProvider } from '../state/useAppStore';
import { Notices } from './Notices';

const LINK_HEADING = 'Some settings from the link were not used:';
const RESET_HEADING = /saved in this browser .* reset/i;

const linkNotice: Notice = { origin: 'link', text: "The link's input tokens ('-5') was ignored." };
const resetNotice: Notice = { origin: 'saved-data', text: 'Saved price overrides, scenarios and custom GPUs could not be read (not valid JSON) and were reset.' };

function setup(notices: readonly Notice[]) {
  const store = createAppStore({ notices });
  render(
    <AppStoreProvider store={store}>
      <Notices />
    </AppStoreProvider>,
  );
  return { store, user: userEvent.setup() };
}

afterEach(cleanup);

describe('Notices', () => {
  it('shows nothing when there is nothing to report', () => {
    setup([]);
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('titles rejected link values as settings from the link', () => {
    setup([linkNotice]);
    const box = screen.getByRole('alert');
    const list = within(box).getByRole('list', { name: LINK_HEADING });
    expect(within(list).getAllByRole('listitem').map((li) => li.textContent)).toEqual([linkNotice.text]);
    expect(box.textContent).not.toMatch(RESET_HEADING);
  });

  // The bug this guards: a reset of corrupt localStorage was announced as "Some settings from the
  // link were not used:", though no link was involved.
  it('titles a reset of corrupt saved data as such, not as settings from the link', () => {
    setup([resetNotice]);
    const box = screen.getByRole('alert');
    expect(within(box).getByRole('list', { name: RESET_HEADING })).toBeTruthy();
    expect(box.textContent).not.toContain(LINK_HEADING);
    expect(box.textContent).toMatch(/could not be read \(not valid JSON\) and were reset/);
  });

  it('lists both under their own headings when both happened, and one Dismiss clears them', async () => {
    const { store, user } = setup([resetNotice, linkNotice]);
    const box = screen.getByRole('alert');
    const link = within(box).getByRole('list', { name: LINK_HEADING });
    const reset = within(box).getByRole('list', { name: RESET_HEADING });
    expect(link.textContent).toContain(linkNotice.text);
    expect(link.textContent).not.toContain(resetNotice.text);
    expect(reset.textContent).toContain(resetNotice.text);
    expect(reset.textContent).not.toContain(linkNotice.text);
    await user.click(within(box).getByRole('button', { name: 'Dismiss' }));
    expect(store.getState().ui.notices).toEqual([]);
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('values rejected from a saved scenario are titled as the scenario, not the link', () => {
    const { store } = setup([]);
    act(() => {
      store.setState({ scenarios: [{ name: 'old', fragment: 'v=1&i=-5', savedAtIso: '2026-01-01T00:00:00.000Z' }] });
      store.getState().loadScenario('old');
    });
    const box = screen.getByRole('alert');
    expect(within(box).getByRole('list', { name: /saved scenario/i }).textContent).toMatch(/input tokens/);
    expect(box.textContent).not.toContain(LINK_HEADING);
  });
});
