// ESM all the way (Octokit 22 and PGlite are ESM only): ts-jest in ESM mode, run with
// NODE_OPTIONS=--experimental-vm-modules (set by the npm test script).
/** @type {import('jest').Config} */
export default {
  testEnvironment: "node",
  extensionsToTreatAsEsm: [".ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { useESM: true }] },
  moduleNameMapper: { "^(\\.{1,2}/.*)\\.js$": "$1" },
  testMatch: ["<rootDir>/test/**/*.test.ts"],
  globalSetup: "<rootDir>/test/support/globalSetup.ts",
  testTimeout: 60_000,
  // Workers each hold an embedded database; two match this machine's two cores.
  maxWorkers: 2,
};
