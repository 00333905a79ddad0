import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ESLint, type Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { REPO_ROOT } from '../../support/cli.js';

const DEPCRUISE = join(
  REPO_ROOT,
  'node_modules',
  'dependency-cruiser',
  'bin',
  'dependency-cruise.mjs',
);
const CONFIG = join(REPO_ROOT, '.dependency-cruiser.cjs');

interface Violation {
  readonly rule: { readonly name: string };
  readonly from: string;
  readonly to: string;
}

/** dependency-cruiser, with the project's own configuration, over a tree of `files` (or src/). */
function cruise(files?: Record<string, string>): Violation[] {
  let cwd = REPO_ROOT;
  if (files) {
    cwd = mkdtempSync(join(tmpdir(), 'eksposure-layers-'));
    writeFileSync(
      join(cwd, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext' } }),
    );
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(cwd, path)), { recursive: true });
      writeFileSync(join(cwd, path), text);
    }
  }
  const run = spawnSync(
    process.execPath,
    [DEPCRUISE, 'src', '--config', CONFIG, '--output-type', 'json'],
    { cwd, encoding: 'utf8' },
  );
  const result = JSON.parse(run.stdout) as { summary: { violations: Violation[] } };
  return result.summary.violations;
}

const named = (violations: Violation[]) =>
  violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`).sort();

describe('the layers lint (.dependency-cruiser.cjs, in npm run lint)', () => {
  it('passes on src/ as it is', () => {
    expect(named(cruise())).toEqual([]);
  });

  it('fails on a cycle, a folder importing upwards, two folders importing each other, and the emulator importing the product', () => {
    const violations = cruise({
      // A cycle inside one folder.
      'src/rules/a.ts': "import { b } from './b.js';\nexport const a = () => b;\n",
      'src/rules/b.ts': "import { a } from './a.js';\nexport const b = () => a;\n",
      // An adapter reaching into the domain.
      'src/aws/port.ts': "import { plan } from '../remediation/plan.js';\nexport const p = plan;\n",
      'src/remediation/plan.ts': 'export const plan = 1;\n',
      // Two folders importing each other.
      'src/audit/x.ts': "import { y } from '../report/y.js';\nexport const x = y;\n",
      'src/report/y.ts': "import { x } from '../audit/x.js';\nexport const y = () => x;\n",
      // The test double sharing the product's reading.
      'src/emulator/server.ts':
        "import { plan } from '../remediation/plan.js';\nexport const s = plan;\n",
    });
    expect(named(violations)).toEqual([
      'layer-audit: src/audit/x.ts -> src/report/y.ts',
      'layer-aws: src/aws/port.ts -> src/remediation/plan.ts',
      'layer-emulator: src/emulator/server.ts -> src/remediation/plan.ts',
      'layer-report: src/report/y.ts -> src/audit/x.ts',
      'no-circular: src/audit/x.ts -> src/report/y.ts',
      'no-circular: src/rules/a.ts -> src/rules/b.ts',
    ]);
  });
});

describe('process only in the shell (eslint.config.js)', () => {
  const project = new ESLint({ cwd: REPO_ROOT });
  /** The problems eslint.config.js's own rules find in `code`, placed at `filePath`. */
  async function problems(filePath: string, code: string) {
    const config = (await project.calculateConfigForFile(filePath)) as Linter.Config;
    const rules = Object.fromEntries(
      ['no-restricted-globals', 'no-restricted-imports'].map((rule) => [
        rule,
        config.rules?.[rule] ?? 'off',
      ]),
    );
    const eslint = new ESLint({
      cwd: REPO_ROOT,
      overrideConfigFile: true,
      overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser }, rules }],
    });
    const [result] = await eslint.lintText(code, { filePath: join(REPO_ROOT, filePath) });
    return (result?.messages ?? []).map((m) => m.ruleId);
  }

  it('refuses process in the domain and the use cases', async () => {
    expect(await problems('src/remediation/x.ts', 'export const pid = process.pid;\n')).toEqual([
      'no-restricted-globals',
    ]);
    expect(
      await problems(
        'src/app/x.ts',
        "import { env } from 'node:process';\nexport const e = env;\n",
      ),
    ).toEqual(['no-restricted-imports']);
  });

  it('lets the CLI, the benchmark, the demo and the test tools use it', async () => {
    for (const place of ['src/cli', 'src/bench', 'src/demo', 'src/tools']) {
      expect(await problems(`${place}/x.ts`, 'export const pid = process.pid;\n')).toEqual([]);
    }
  });
});
