// Layering rules (STYLE.md item 10): a build that breaks them fails `npm run lint`.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'Domain code is plain TypeScript: no framework, no database client, no infrastructure.',
      severity: 'error',
      from: { path: '(^|/)domain/' },
      to: {
        pathNot: ['(^|/)domain/', '^node_modules/(fast-check|wanakana|libphonenumber-js)/'],
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'domain-imports-no-packages',
      comment: 'Not even types from frameworks or drivers leak into the domain; only the pure text libraries listed.',
      severity: 'error',
      from: { path: '(^|/)domain/', pathNot: '\\.spec\\.ts$' },
      to: {
        dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'core'],
        pathNot: '^node_modules/(wanakana|libphonenumber-js)/',
      },
    },
    {
      name: 'application-not-to-infrastructure',
      comment: 'Use cases depend on ports; adapters are wired in the composition roots (apps/*).',
      severity: 'error',
      from: { path: '(^|/)application/' },
      to: { path: '(^|/)infrastructure/' },
    },
    {
      name: 'apps-not-to-other-apps',
      comment:
        'ARCHITECTURE.md: apps never import each other; what two apps share lives in a lib. Each app is a ' +
        'composition root of its own (test/ and bench/ may import any app).',
      severity: 'error',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'libs-not-to-apps',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^dist/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
