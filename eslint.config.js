// Lint rules that keep the layering and the type discipline the guide asks for.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const pureFolderBans = {
  paths: ['node:net', 'node:fs', 'node:fs/promises', 'node:child_process', 'fastify', 'net', 'fs', 'child_process'],
};

export default tseslint.config(
  { ignores: ['dist/**', 'dist-bench/**', 'node_modules/**', 'bin/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // protocol/ and auth/ are pure code over bytes: no sockets, files or processes.
    files: ['protocol/**/*.ts', 'auth/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', pureFolderBans] },
  },
  {
    files: ['eslint.config.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
