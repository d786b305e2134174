// Lint for Canopy: `npm run lint` (tools/lint/run.sh) runs this with tools/lint's own ESLint
// and typescript-eslint. They live apart from the project's node_modules because
// typescript-eslint parses with the TypeScript 5/6 compiler API, which the project's
// TypeScript 7 no longer ships; linting needs no types, so the two never meet.
import tseslint from 'typescript-eslint';
import layers from './layers.js';

export default tseslint.config(
  { ignores: ['**/node_modules/**', 'dist/**', 'src/gen/**', '.exp/**', 'tools/**', 'data/**', 'test-results/**'] },
  ...tseslint.configs.recommended,
  {
    plugins: { canopy: layers },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Imports run downward only (layers.js; docs/architecture.md, Layers).
      'canopy/layers': 'error',
      // `_` names a value left out on purpose; `{ secret, ...rest }` drops `secret`.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
    },
  },
  {
    // Lines up to 160 characters (.prettierrc.json's printWidth). A message or help text stays
    // whole, so that one can grep for what the program printed. test/ and scripts/ join once
    // the tree has been formatted (npm run format).
    files: ['src/**', 'origin/**', 'relay/**'],
    rules: {
      'max-len': ['error', { code: 160, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreUrls: true, ignoreRegExpLiterals: true }],
    },
  },
);
