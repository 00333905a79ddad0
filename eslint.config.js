import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * `process` (the environment, signals, exit, stdio, memory) belongs to the shell: the CLI, the
 * benchmark, the demo and the test tools. The use cases and the domain get what they need passed in.
 */
const processOnlyInTheShell = {
  files: ['src/**/*.ts'],
  ignores: ['src/cli/**', 'src/bench/**', 'src/demo/**', 'src/tools/**'],
  rules: {
    'no-restricted-globals': [
      'error',
      {
        name: 'process',
        message: 'process belongs to src/cli (the shell): take what you need as a port or a value.',
      },
    ],
    'no-restricted-imports': [
      'error',
      {
        paths: ['process', 'node:process'].map((name) => ({
          name,
          message:
            'process belongs to src/cli (the shell): take what you need as a port or a value.',
        })),
      },
    ],
  },
};

export default tseslint.config(
  { ignores: ['dist/**', 'coverage/**', 'node_modules/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', '*.cjs'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      'no-console': 'error',
    },
  },
  { files: ['**/*.js', '**/*.cjs'], ...tseslint.configs.disableTypeChecked },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable' } },
  },
  processOnlyInTheShell,
  {
    // expect.any()/expect.stringContaining() are typed any by Jest.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
);
