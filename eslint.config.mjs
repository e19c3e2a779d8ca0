// ESLint flat config: typescript-eslint with type information, so floating promises are caught.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['assert', 'buffer', 'child_process', 'crypto', 'dns', 'events', 'fs', 'fs/promises', 'http', 'https', 'net', 'os', 'path', 'process', 'stream', 'tls', 'url', 'util', 'zlib'];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'out/', '.vscode-test/', 'test-output/', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // node:test's test()/describe() return promises the runner awaits itself.
      '@typescript-eslint/no-floating-promises': ['error', { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] }] }],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    // The language service is pure: no editor, no file system, no network. Hosts hand it what it needs.
    files: ['language/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ['vscode', 'vscode-languageserver', 'vscode-languageclient', ...nodeBuiltins.flatMap((m) => [m, `node:${m}`])].map((name) => ({ name, message: 'language/ is host-independent: take what you need through an interface.' })),
      }],
    },
  },
  {
    // The language server adapts LSP to language/: it never loads the editor's API, the client, the
    // CLI or the sending engine (undici, cookies) — only the env files and OpenAPI specs the engine also reads, and the
    // settings normaliser it shares with the extension.
    files: ['server/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [
          { name: 'vscode', message: 'server/ runs without VS Code: it speaks LSP.' },
          { name: 'vscode-languageclient', message: 'server/ is the other end of the language client.' },
        ],
        patterns: [
          { group: ['**/client/*', '!**/client/settingsSchema', '!**/client/restClientSettings'], message: 'server/ may import only the pure settings modules from client/ (settingsSchema.ts, restClientSettings.ts).' },
          { group: ['**/cli/*'], message: 'server/ does not depend on the CLI.' },
          { group: ['**/engine/*', '!**/engine/environments', '!**/engine/openapi'], message: 'server/ may read env files through engine/environments.ts and OpenAPI specs through engine/openapi/, nothing that sends.' },
        ],
      }],
    },
  },
  {
    // The engine and the CLI run outside the editor.
    files: ['engine/**/*.ts', 'cli/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'engine/ and cli/ must run without VS Code.' }, { name: 'vscode-languageclient', message: 'engine/ and cli/ must run without VS Code.' }] }],
    },
  },
);
