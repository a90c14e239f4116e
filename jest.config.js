// ESM + TypeScript through ts-jest in transpile-only mode: `npm run lint`
// type-checks the whole tree once, so each test file need not do it again.
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  resolver: 'ts-jest-resolver',
  testMatch: ['**/__tests__/**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', useESM: true, isolatedModules: true }],
  },
  testTimeout: 60000,
  // Tests start real peers (openssl, nginx) on fixed-free ports; a couple of
  // workers keeps a 2-core runner responsive.
  maxWorkers: 2,
}
