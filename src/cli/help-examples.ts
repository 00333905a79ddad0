import type { Argv } from 'yargs';

type Examples = readonly (readonly [command: string, description: string])[];

/** Adds a command's examples ($0 is the program's name) and what follows them to its help. */
export function withHelp<T>(yargs: Argv<T>, examples: Examples, epilogue?: string): Argv<T> {
  const withExamples = yargs.example(examples.map(([command, text]) => [command, text]));
  return epilogue === undefined ? withExamples : withExamples.epilogue(epilogue);
}

export const AUDIT_EXAMPLES: Examples = [
  ['$0 audit', 'Every cluster in every enabled region, as a table'],
  ['$0 audit --regions us-east-1,eu-west-1 --output json', 'Two regions, as JSON'],
  ['$0 audit --profile prod', 'With the credentials and region of profile prod'],
  [
    '$0 audit --output junit --output-file eksposure.xml --output markdown --output-file eksposure.md',
    'CI: test results and a job summary from one scan',
  ],
  ['$0 audit --output asff --output-file findings.asff.json', 'Findings for Security Hub'],
];

export const REMEDIATE_EXAMPLES: Examples = [
  ['$0 remediate --out plan.json', 'Plan private mode for every failing cluster'],
  [
    '$0 remediate --mode allowlist --allow-cidr 203.0.113.0/24 --my-ip 203.0.113.7',
    'Plan an allowlist, warned if it would lock you out',
  ],
  ['$0 remediate --cluster payments-prod --apply', 'Plan, confirm and apply one cluster'],
];

export const APPLY_EXAMPLES: Examples = [
  ['$0 apply plan.json', 'Check, confirm, apply and verify the plan'],
  ['$0 apply plan.json --yes --journal changes.ndjson', 'Without asking (CI)'],
];

export const ROLLBACK_EXAMPLES: Examples = [
  ['$0 rollback --journal .eksposure/journal-<plan id>.ndjson', 'Put back what that apply changed'],
];

export const RESUME_EXAMPLES: Examples = [
  [
    '$0 resume --journal .eksposure/journal-<plan id>.ndjson',
    'Watch what an interrupted apply left running',
  ],
];

export const EMULATOR_EXAMPLES: Examples = [
  [
    '$0 emulator --fixtures fixtures/demo.json --port 4566',
    'Serve the demo account; then: AWS_ENDPOINT_URL=http://127.0.0.1:4566 eksposure audit',
  ],
  [
    '$0 emulator --fixtures fixtures/demo.json --throttle-rate 0.2',
    'With one call in five throttled',
  ],
];
