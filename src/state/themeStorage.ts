/** The light/dark choice survives reloads in localStorage (it is not part of a shared link). */
import { THEME_PREFERENCES, type ThemePreference } from './slices';
import type { KeyValueStorage } from './tokenStorage';

export const THEME_STORAGE_KEY = 'gpu-fit.theme';

export function readThemePreference(storage: KeyValueStorage | null): ThemePreference {
  try {
    const stored = storage?.getItem(THEME_STORAGE_KEY) ?? null;
    return THEME_PREFERENCES.find((t) => t === stored) ?? 'system';
  } catch {
    return 'system';
  }
}

export function writeThemePreference(storage: KeyValueStorage | null, theme: ThemePreference): void {
  try {
    if (theme === 'system') storage?.removeItem(THEME_STORAGE_KEY);
    else storage?.setItem(THEME_STORAGE_KEY, theme);
  } catch {
    // Not remembered across reloads; the choice still applies now.
  }
}

export function browserLocalStorage(): KeyValueStorage | null {
  try {
    return typeof window === 'undefined' ? null : window.localStorage;
  } catch {
    return null;
  }
}
