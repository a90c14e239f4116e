// ESM + TypeScript through ts-jest in transpile-only mode: `npm run lint`
// type-checks the whole tree once, so each test file need not do it again.
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  resolver: 'ts-jest-resolver',
  testMatch: ['**/__tests__/**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', useESM: true }],
  },
  // @peculiar/x509 needs the reflect polyfill before it loads (see src/model/x509.ts).
  setupFiles: ['reflect-metadata'],
  testTimeout: 60000,
  // Tests start real peers (openssl, nginx) on fixed-free ports; a couple of
  // workers keeps a 2-core runner responsive.
  maxWorkers: 2,
}
