// One Jest run for unit, contract and end-to-end specs; SWC compiles with decorator metadata (.swcrc).
const fs = require('node:fs');
const swcrc = JSON.parse(fs.readFileSync(`${__dirname}/.swcrc`, 'utf8'));
delete swcrc.$schema;

/** @type {import('jest').Config} */
module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test', '<rootDir>/bench'],
  testMatch: ['**/*.spec.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { ...swcrc, swcrc: false, sourceMaps: 'inline' }] },
  moduleNameMapper: {
    '^@lib/event-store/(.*)$': '<rootDir>/libs/event-store/src/$1',
    '^@lib/platform/(.*)$': '<rootDir>/libs/platform/src/$1',
    '^@lib/account-linking/(.*)$': '<rootDir>/libs/account-linking/src/$1',
  },
  setupFiles: ['reflect-metadata'],
  globalSetup: '<rootDir>/test/global-setup.ts',
  // PGlite takes ~750 MB per instance: at most two workers on a 2-core machine.
  maxWorkers: 2,
  // Generous for a loaded 2-core machine: several suites start the whole service, one a real process many times.
  testTimeout: 60000,
};
