/** Jest runs the TypeScript sources as ES modules (p-limit and yargs are ESM-only). */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  testTimeout: 60_000,
  // Jest's default is one worker fewer than the cores: a single worker on a 2-core machine. The
  // end-to-end tests spend much of their time waiting on servers, so one per core is faster.
  maxWorkers: '100%',
};
