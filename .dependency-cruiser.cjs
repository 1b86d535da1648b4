/**
 * The layers (docs/ARCHITECTURE.md): machines and rules are pure and know nothing of storage, the audit
 * chain or signed codes; the database layer knows no domain. Layer rules are errors; cycles between
 * aggregate folders are warnings until the remaining knots are cut. test/unit/layers.test.ts runs this in `npm test`.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'pure-layers-know-no-storage',
      comment: 'machines/ and src/rules/ decide from facts they are given: no database, audit chain or code signing.',
      severity: 'error',
      from: { path: '^(machines|src/rules)/' },
      to: { path: '^src/(db|audit|codes)/' },
    },
    {
      name: 'db-knows-no-domain',
      comment: 'src/db/ holds the schema and the connection: it may import only itself, src/time, src/errors and src/paths.ts (where the project root is).',
      severity: 'error',
      from: { path: '^src/db/' },
      to: { path: '^(src|machines)/', pathNot: '^src/(db|time|errors)/|^src/paths\.ts$' },
    },
    {
      name: 'no-cycles-between-aggregates',
      comment: 'An aggregate folder that imports another should not be imported back by it.',
      severity: 'warn',
      from: { path: '^src/([^/]+)/' },
      to: { circular: true, path: '^src/([^/]+)/', pathNot: '^src/$1/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist|test|web|bench|scripts|seeds)/' },
    parser: 'swc',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js'] },
    moduleSystems: ['es6'],
  },
};
