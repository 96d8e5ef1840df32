// Lint rules plus the import boundaries of the design (style lesson 6):
// only src/salesforce talks to jsforce/faye, only src/monday talks to graphql-request.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const crmLibraries = (allowed) => {
  const paths = [];
  if (allowed !== 'salesforce') {
    paths.push(
      { name: 'jsforce', message: 'Only src/salesforce may import jsforce: go through the SalesforcePort.' },
      { name: 'faye', message: 'Only src/salesforce may import faye: go through the SalesforcePort.' },
    );
  }
  if (allowed !== 'monday') {
    paths.push({ name: 'graphql-request', message: 'Only src/monday may import graphql-request: go through the MondayPort.' });
  }
  return ['error', { paths, patterns: [{ group: ['jsforce/*'], message: 'Only src/salesforce may import jsforce.' }] }];
};

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'coverage/**', 'bin/**', 'packages/*/bin/**', '.crm-sync/**', 'eslint.config.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-imports': crmLibraries(null),
    },
  },
  { files: ['src/salesforce/**/*.ts'], rules: { 'no-restricted-imports': crmLibraries('salesforce') } },
  { files: ['src/monday/**/*.ts'], rules: { 'no-restricted-imports': crmLibraries('monday') } },
  // The emulators (packages/sandbox) are outside systems, tests and benches drive the real clients on purpose.
  { files: ['packages/sandbox/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'], rules: { 'no-restricted-imports': 'off' } },
);
