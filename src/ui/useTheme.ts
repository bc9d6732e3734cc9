/**
 * Applies the theme: the user's choice, or the system's (prefers-color-scheme) when "system".
 * Sets `data-theme` on <html>; theme.css keys every colour on it.
 */
import { useEffect, useSyncExternalStore } from 'react';
import type { ThemePreference } from '../state/slices';
import { browserLocalStorage, writeThemePreference } from '../state/themeStorage';
import { useAppStore } from '../state/useAppStore';

const DARK_QUERY = '(prefers-color-scheme: dark)';

function subscribeSystemTheme(onChange: () => void): () => void {
  if (typeof window === 'undefined' || typeof window.matchMedia !== 'function') return () => undefined;
  const query = window.matchMedia(DARK_QUERY);
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
}

function systemPrefersDark(): boolean {
  return typeof window !== 'undefined' && typeof window.matchMedia === 'function' && window.matchMedia(DARK_QUERY).matches;
}

export function resolveTheme(preference: ThemePreference, prefersDark: boolean): 'light' | 'dark' {
  if (preference === 'system') return prefersDark ? 'dark' : 'light';
  return preference;
}

/** The theme in effect; keeps <html data-theme> and localStorage in step with it. */
export function useTheme(): 'light' | 'dark' {
  const preference = useAppStore((s) => s.ui.theme);
  const prefersDark = useSyncExternalStore(subscribeSystemTheme, systemPrefersDark, () => false);
  const theme = resolveTheme(preference, prefersDark);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  useEffect(() => {
    writeThemePreference(browserLocalStorage(), preference);
  }, [preference]);
  return theme;
}
