/**
 * The layers of src/, checked by `npm run lint` (docs/architecture.md draws them).
 *
 * Each top-level folder may import only the folders listed for it below: the lists form one order
 * (the CLI at the top, the shared types at the bottom), so no two folders can import each other.
 * The domain and the use cases reach AWS only through ports: nothing but the CLI imports src/aws,
 * and src/aws imports nothing but src/model. The emulator is a test double and imports nothing of
 * the product's. No import cycle anywhere.
 */
const LAYERS = {
  cli: [
    'app',
    'audit',
    'report',
    'probe',
    'remediation',
    'config',
    'rules',
    'accounts',
    'iac',
    'aws',
    'emulator',
    'model',
    'net',
  ],
  app: [
    'audit',
    'report',
    'probe',
    'remediation',
    'config',
    'rules',
    'accounts',
    'iac',
    'model',
    'net',
  ],
  audit: ['config', 'rules', 'accounts', 'model', 'net'],
  report: ['probe', 'remediation', 'config', 'rules', 'accounts', 'model', 'net'],
  probe: ['remediation', 'rules', 'accounts', 'model', 'net'],
  remediation: ['rules', 'accounts', 'model', 'net'],
  config: ['rules', 'model', 'net'],
  rules: ['model', 'net'],
  accounts: ['model'],
  // Fixes as code: pure text patchers for Terraform, CloudFormation, eksctl and Crossplane.
  iac: ['model'],
  aws: ['model'],
  model: [],
  net: [],
  emulator: [],
  // The benchmark, the demo and the test tools drive the product from outside (the benchmark also
  // sends calls through eksposure's own AWS clients, to tell the SDK's cost from the rest).
  bench: ['emulator', 'tools', 'report', 'aws', 'model'],
  demo: ['emulator', 'tools'],
  tools: [],
};

const folder = (name) => `^src/${name}/`;

const layerRules = Object.entries(LAYERS).map(([name, allowed]) => ({
  name: `layer-${name}`,
  comment: `src/${name} may import only ${allowed.length ? allowed.map((a) => `src/${a}`).join(', ') : 'itself'} (see docs/architecture.md)`,
  severity: 'error',
  from: { path: folder(name) },
  to: { path: '^src/', pathNot: [folder(name), ...allowed.map(folder)] },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'An import cycle: the modules on it cannot be read, tested or moved one at a time.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-loose-files',
      comment:
        'Every module belongs to a layer: a folder of src/ listed in .dependency-cruiser.cjs.',
      severity: 'error',
      from: { path: '^src/', pathNot: Object.keys(LAYERS).map(folder) },
      to: {},
    },
    ...layerRules,
    {
      name: 'emulator-own-schema-only',
      comment: 'Outside src/, the emulator reads its own fixture schema and nothing else.',
      severity: 'error',
      from: { path: folder('emulator') },
      to: {
        path: '^(?!src/|node_modules/)',
        pathNot: '^schemas/emulator-fixture\\.schema\\.json$',
        dependencyTypesNot: ['core'],
      },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
  },
};
