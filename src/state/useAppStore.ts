/**
 * React adapter over the vanilla store (zustand `react.ts` is the same idea): a context carries the
 * store so tests can render with a fresh one; components select the smallest slice they need.
 */
import { createContext, createElement, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { createAppStore, type AppStoreApi } from './store';
import type { AppStore } from './slices';

const StoreContext = createContext<AppStoreApi | null>(null);

/** Used when no provider is mounted (a component rendered on its own). */
let fallbackStore: AppStoreApi | null = null;

export function AppStoreProvider({ store, children }: { store: AppStoreApi; children: ReactNode }) {
  return createElement(StoreContext.Provider, { value: store }, children);
}

export function useAppStoreApi(): AppStoreApi {
  const store = useContext(StoreContext);
  if (store !== null) return store;
  fallbackStore ??= createAppStore();
  return fallbackStore;
}

export function useAppStore<T>(selector: (state: AppStore) => T): T {
  return useStore(useAppStoreApi(), selector);
}
