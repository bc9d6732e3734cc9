import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

/*
 * Layers (STYLE.md §1): arrows point one way, `ui → state → worker → engine`, `state → hub`,
 * `cli → engine (+ hub)`. Each layer below lists what it may NOT import; src/layering.test.ts checks
 * the same arrows on the whole import graph (and no cycles), and src/layeringLint.test.ts plants a
 * violation in each layer to prove these rules fire. src/main.tsx, the composition root, may wire
 * every layer together and is not restricted.
 *
 * Patterns are gitignore-style globs matched against the import specifier ('../ui/results/x'
 * matches '**\/ui/**'). The typescript-eslint version of the rule is used for `allowTypeImports`.
 */
const FRAMEWORKS = ['react', 'react-dom', 'react-dom/*', 'zustand', 'zustand/*', 'recharts', '@tanstack/*'];
const layerRule = (...patterns) => ['error', { patterns }];

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'test-results', 'playwright-report', 'e2e/output'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The engine is pure: no React, no store, no Hub, no other layer (STYLE.md §1).
    files: ['src/engine/**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-restricted-imports': layerRule(
        { group: [...FRAMEWORKS, '@huggingface/hub'], message: 'src/engine is framework-free.' },
        { group: ['**/ui/**', '**/state/**', '**/hub/**', '**/worker/**', '**/cli/**'], message: 'src/engine imports nothing outside itself.' },
      ),
      'no-restricted-syntax': [
        'error',
        {
          // A dynamic import hides a dependency from this rule, from tsconfig.engine.json and from
          // the bundler's static graph; the engine's modules are all loaded up front.
          selector: 'ImportExpression',
          message: 'src/engine uses static imports only (no dynamic import()).',
        },
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'fetch', 'localStorage', 'sessionStorage'],
    },
  },
  {
    // The Hub adapter: @huggingface/hub in, engine types out; it knows nothing of who calls it.
    files: ['src/hub/**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-restricted-imports': layerRule(
        { group: FRAMEWORKS, message: 'src/hub is framework-free: it imports @huggingface/hub and engine types only.' },
        { group: ['**/ui/**', '**/state/**', '**/worker/**', '**/cli/**'], message: 'src/hub imports only src/engine (types) and @huggingface/hub.' },
      ),
    },
  },
  {
    // The worker runs the engine off the main thread: protocol, thin loop, client.
    files: ['src/worker/**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-restricted-imports': layerRule(
        { group: [...FRAMEWORKS, '@huggingface/hub'], message: 'src/worker is framework-free and never talks to the Hub.' },
        { group: ['**/ui/**', '**/state/**', '**/hub/**', '**/cli/**'], message: 'src/worker imports only src/engine and its own files.' },
      ),
    },
  },
  {
    // The store sits between the UI and everything that computes or fetches; it never reaches up.
    files: ['src/state/**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-restricted-imports': layerRule(
        { group: ['react-dom', 'react-dom/*', 'recharts', '@tanstack/*'], message: 'src/state renders nothing: rendering libraries belong to src/ui.' },
        { group: ['**/ui/**', '**/cli/**'], message: 'src/state never imports src/ui or src/cli (arrows: ui → state → worker/hub → engine).' },
      ),
    },
  },
  {
    // The UI reads the store and engine types/catalogs. The Hub and the worker are reached through
    // src/state; the UI may import their types, and src/hub/describe.ts (the sentence for a
    // HubError, pure text shared with the CLI).
    files: ['src/ui/**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-restricted-imports': layerRule(
        { group: ['@huggingface/hub'], message: 'src/ui reaches the Hub through src/state.' },
        { group: ['**/cli/**'], message: 'src/ui never imports src/cli.' },
        {
          group: ['**/hub/**', '!**/hub/describe', '**/worker/**'],
          allowTypeImports: true,
          message: 'src/ui reaches the Hub and the worker through src/state; import their types only (or hub/describe).',
        },
      ),
    },
  },
  {
    // The CLI is a typed table over the engine; it loads models through src/hub.
    files: ['src/cli/**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-restricted-imports': layerRule(
        { group: FRAMEWORKS, message: 'src/cli is a node program: no React, no store.' },
        { group: ['**/ui/**', '**/state/**', '**/worker/**'], message: 'src/cli imports only src/engine and src/hub.' },
      ),
    },
  },
);
