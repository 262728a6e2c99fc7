// ESLint (flat config): typescript-eslint's recommended rules everywhere, type-aware ones included
// (promises nobody awaits or passed where a void callback is expected, awaiting non-promises, `any`
// flowing into production code), with type information from each file's nearest tsconfig (the grid
// page has its own, with DOM types). `npm run lint`; `npm test` runs it as a counted step.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Node's globals for the plain JavaScript build scripts (TypeScript files get theirs from @types/node). */
const nodeGlobals = Object.fromEntries(
  ['process', 'console', 'Buffer', 'URL', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'require', 'module', '__dirname']
    .map((name) => [name, 'readonly']),
);

export default tseslint.config(
  {
    ignores: ['out/**', 'dist/**', 'node_modules/**', '.vscode-test/**', 'test-results/**', 'test/fixtures/**',
      // AssemblyScript: TypeScript syntax with its own types (i32, @external), compiled by asc, not tsc.
      'examples/*/assembly/**'],
  },
  // A disable comment that no longer silences anything is an error, so each one left says something true.
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  js.configs.recommended,
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: nodeGlobals },
  },
  {
    files: ['**/*.ts'],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // A leading underscore marks a binding kept on purpose (a destructured field left out of a rest).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      // Rejecting with a caught value passes it on unchanged, like a rethrow.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
      // Kinds, subscription types and the like arrive from the guest as plain numbers; comparing them with
      // the const enums that name IG's values is the point, not a mix-up of two enums.
      '@typescript-eslint/no-unsafe-enum-comparison': 'off',
      // The code writes `x[i]!` where an index is known to be in range, as noUncheckedIndexedAccess would
      // ask; without that option (it would flag ~700 places) the checker calls each of these unnecessary.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      // An async function without await is how a few functions meet a promise-returning signature
      // (subcommand mains, vscode-textmate's loadGrammar); a forgotten await is no-floating-promises' job.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Only the extension is VS Code's: the libraries, the CLI and the grid page run in plain Node or a
    // browser. src/ebpf and src/common are also free of Node, so they could run in a browser.
    files: ['src/**/*.ts'],
    ignores: ['src/extension/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'Only src/extension/ may import vscode.' }] }] },
  },
  {
    files: ['src/ebpf/**', 'src/common/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'Only src/extension/ may import vscode.' }],
        patterns: [{ regex: '^node:', message: 'src/ebpf and src/common use no Node modules.' }],
      }],
    },
  },
  {
    // Tests and benchmarks handle untyped values on purpose: a guest's exports, JSON.parse results, code
    // that runs inside a browser page (no DOM types in the Node tsconfig). `any` there stays explicit.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
);
