/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { contentSecurityPolicyPlugin } from './src/csp';

// base './' keeps every asset and the worker relative, so the built site works from any sub-path
// (GitHub Pages project sites serve it under /<repo>/).
export default defineConfig({
  base: './',
  plugins: [
    react(),
    // Content-Security-Policy for the built site only (src/csp.ts): dev mode needs inline scripts.
    contentSecurityPolicyPlugin(),
  ],
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: false },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'scripts/**/*.test.ts'],
    environment: 'node',
    pool: 'threads',
    // Property tests run whole recommendations; CI has 2 shared cores.
    testTimeout: 60_000,
  },
});
