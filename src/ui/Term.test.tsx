// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import Term from './Term';
import type { GlossaryEntry } from './glossary';

afterEach(cleanup);

const ENTRY: GlossaryEntry = { term: 'KV pool', definition: 'Memory for keys and values.', source: 'flag --gpu-memory-utilization' };

function renderTerm(onOuterKeyDown = vi.fn()) {
  render(
    <div onKeyDown={onOuterKeyDown}>
      <p>Outside text</p>
      <Term entry={ENTRY} />
    </div>,
  );
  return { button: screen.getByRole('button', { name: 'What is KV pool?' }), onOuterKeyDown };
}

describe('Term', () => {
  it('names its button "What is <term>?" and ties it to a hidden definition', () => {
    const { button } = renderTerm();
    expect(button.getAttribute('aria-expanded')).toBe('false');
    const popover = document.getElementById(button.getAttribute('aria-controls') ?? '');
    expect(popover?.hidden).toBe(true);
    expect(screen.queryByRole('note')).toBeNull();
  });

  it('toggles the definition with a click, and from the keyboard with Enter and Space', async () => {
    const user = userEvent.setup();
    const { button } = renderTerm();
    await user.click(button);
    expect(button.getAttribute('aria-expanded')).toBe('true');
    const note = screen.getByRole('note', { name: 'About KV pool' });
    expect(note.textContent).toContain('Memory for keys and values.');
    expect(note.textContent).toContain('In vLLM: flag --gpu-memory-utilization');
    expect(note.id).toBe(button.getAttribute('aria-controls'));
    await user.click(button);
    expect(button.getAttribute('aria-expanded')).toBe('false');
    button.focus();
    await user.keyboard('{Enter}');
    expect(screen.getByRole('note')).toBeTruthy();
    await user.keyboard(' ');
    expect(screen.queryByRole('note')).toBeNull();
  });

  it('closes on Escape, returns focus to the button, and keeps the Escape from surrounding handlers', async () => {
    const user = userEvent.setup();
    const { button, onOuterKeyDown } = renderTerm();
    await user.click(button);
    screen.getByRole('note').focus(); // focus anywhere inside the term
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('note')).toBeNull();
    expect(document.activeElement).toBe(button);
    expect(onOuterKeyDown).not.toHaveBeenCalled();
    // Closed, Escape is not its business: it reaches the surrounding handler.
    await user.keyboard('{Escape}');
    expect(onOuterKeyDown).toHaveBeenCalledTimes(1);
  });

  it('closes on a press outside it (mouse or touch) but not on a press inside the definition', async () => {
    const user = userEvent.setup();
    const { button } = renderTerm();
    await user.click(button);
    fireEvent.pointerDown(screen.getByRole('note'));
    expect(screen.getByRole('note')).toBeTruthy();
    await user.click(screen.getByText('Outside text'));
    expect(screen.queryByRole('note')).toBeNull();
    expect(button.getAttribute('aria-expanded')).toBe('false');
  });

  it('stays open on a scroll and moves with its button (the page scrolls itself while rows fill in); closes on a resize', async () => {
    const user = userEvent.setup();
    const { button } = renderTerm();
    let top = 100;
    vi.spyOn(button, 'getBoundingClientRect').mockImplementation(() => ({ top, bottom: top + 16, left: 40, right: 56, width: 16, height: 16, x: 40, y: top, toJSON: () => ({}) }));
    await user.click(button);
    const note = screen.getByRole('note');
    expect(note.style.top).toBe('120px');
    top = 60;
    fireEvent.scroll(document);
    expect(screen.getByRole('note').style.top).toBe('80px');
    fireEvent(window, new Event('resize'));
    expect(screen.queryByRole('note')).toBeNull();
  });
});
