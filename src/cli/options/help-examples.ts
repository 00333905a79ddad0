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
    "$0 audit --organization --role-arn 'arn:aws:iam::{account}:role/EksposureAudit'",
    'Every ACTIVE account of the organization, through that role in each',
  ],
  ['$0 audit --rules EKS-001,EKS.1', 'Both readings: open to the internet, and public at all'],
  [
    '$0 audit --approved-cidrs 203.0.113.0/24',
    'EKS-001 also fails ranges outside the approved ones',
  ],
  ['$0 audit --fail-on high', 'Exit 1 only for high or critical failures (CI gates)'],
  ['$0 audit --config exemptions.json', 'Suppress accepted risks until they expire'],
  [
    '$0 audit --output junit --output-file eksposure.xml --output markdown --output-file eksposure.md',
    'CI: test results and a job summary from one scan',
  ],
  ['$0 audit --output asff --output-file findings.asff.json', 'Findings for Security Hub'],
  ['$0 audit --probe --my-ip 198.51.100.7', 'Also probe each public endpoint from this machine'],
];

export const PROBE_EXAMPLES: Examples = [
  [
    '$0 probe --cluster payments-prod --region eu-west-1',
    'One EKS cluster: endpoint and CA from DescribeCluster',
  ],
  ['$0 probe https://203.0.113.10:6443 --ca-file ca.pem', 'Any Kubernetes API server'],
  [
    '$0 probe https://api.example.test --insecure',
    'No CA at hand: unverified, and the report says so',
  ],
  [
    '$0 probe --kubelet 203.0.113.25 --ca-file ca.pem',
    "A node's kubelet on 10250: anonymous GET /pods and /healthz only (:10255 for the read-only port)",
  ],
];

export const RULES_EXAMPLES: Examples = [
  ['$0 rules', 'Every rule with its aliases, severity and rationale'],
  ['$0 rules --output json', 'The same with remediation and references, as JSON'],
];

export const COMPLETION_EXAMPLES: Examples = [
  ['$0 completion >> ~/.bashrc', 'Tab completion in bash'],
  ['$0 completion >> ~/.zshrc', 'Tab completion in zsh'],
];

export const REMEDIATE_EXAMPLES: Examples = [
  ['$0 remediate --out plan.json', 'Plan private mode for every failing cluster'],
  [
    '$0 remediate --mode allowlist --allow-cidr 203.0.113.0/24 --my-ip 203.0.113.7',
    'Plan an allowlist, warned if it would lock you out',
  ],
  ['$0 remediate --cluster payments-prod --apply', 'Plan, confirm and apply one cluster'],
  ['$0 remediate --config .eksposure.json', 'Exempted clusters are skipped, with the reason'],
  [
    '$0 remediate --cluster payments-prod --apply --probe',
    'Apply, then confirm from this machine that the endpoint no longer answers',
  ],
];

export const APPLY_EXAMPLES: Examples = [
  ['$0 apply plan.json', 'Check, confirm, apply and verify the plan'],
  ['$0 apply plan.json --yes --journal changes.ndjson', 'Without asking (CI)'],
  [
    '$0 apply plan.json --probe --my-ip 198.51.100.7',
    'Then probe each changed endpoint from here (exit 1 if one still answers)',
  ],
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

export const MERGE_EXAMPLES: Examples = [
  [
    '$0 merge report-*.json --output json > report.json',
    'One report from the reports of every shard',
  ],
  ['$0 merge reports/*.json', 'The same, as a table'],
  ['$0 merge reports/*.json --fail-on high', 'With the --fail-on the shards ran with'],
];
