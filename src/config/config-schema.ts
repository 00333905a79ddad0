/**
 * The JSON Schema of the config file (--config, default .eksposure.json). schemas/config.schema.json
 * publishes this same object; a test keeps the two equal.
 */
export const CONFIG_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://github.com/eksposure/eksposure/schemas/config.schema.json',
  title: 'eksposure config file',
  description:
    'What `eksposure audit --config FILE` (default .eksposure.json in the working directory) reads: exemptions that accept a risk for a while, and the approved CIDRs of EKS-001.',
  type: 'object',
  additionalProperties: false,
  properties: {
    $schema: { type: 'string', description: 'Ignored: lets an editor find this schema.' },
    exemptions: {
      type: 'array',
      items: { $ref: '#/$defs/exemption' },
    },
    approvedCidrs: {
      type: 'array',
      description:
        'EKS-001 also fails a public endpoint that admits a range outside these (IPv4 or IPv6 CIDRs). --approved-cidrs replaces them.',
      items: { type: 'string', minLength: 1 },
    },
    managers: {
      type: 'array',
      description:
        'Tags that mean a tool manages a cluster in your organization, beyond the ones CloudFormation, eksctl, terraform-aws-modules/eks and Crossplane set themselves (which come first).',
      items: { $ref: '#/$defs/manager' },
    },
  },
  $defs: {
    manager: {
      type: 'object',
      additionalProperties: false,
      required: ['tag', 'tool'],
      properties: {
        tag: { type: 'string', minLength: 1, description: 'The tag key, e.g. ManagedBy.' },
        value: {
          type: 'string',
          description: 'The value it must have, e.g. terraform; any value when left out.',
        },
        tool: {
          enum: ['terraform', 'cloudformation', 'eksctl', 'crossplane'],
          description: 'The tool such a cluster is managed by.',
        },
      },
    },
    exemption: {
      type: 'object',
      additionalProperties: false,
      required: ['reason', 'expires'],
      anyOf: [
        { required: ['arn'] },
        { required: ['cluster'] },
        { required: ['tag'] },
        { required: ['account'] },
      ],
      description:
        'Matches a finding when every selector given (arn, cluster, tag, account, rules) matches; at least one of arn, cluster, tag and account is required.',
      properties: {
        arn: {
          type: 'string',
          pattern: '^arn:aws[a-z-]*:eks:[a-z0-9-]+:\\d{12}:cluster/[A-Za-z0-9][A-Za-z0-9_-]*$',
          description: "The cluster's ARN, exactly.",
        },
        cluster: {
          type: 'string',
          pattern: '^[A-Za-z0-9_*-]+$',
          description: 'A cluster name, where * stands for any run of characters (sandbox-*).',
        },
        tag: {
          type: 'object',
          minProperties: 1,
          additionalProperties: { type: 'string' },
          description: 'Tags the cluster must carry, each with exactly this value.',
        },
        account: {
          type: 'string',
          pattern: '^\\d{12}$',
          description: 'The AWS account id the cluster is in.',
        },
        rules: {
          type: 'array',
          minItems: 1,
          items: { type: 'string', minLength: 1 },
          description: 'Rule ids or aliases it applies to; every rule when absent.',
        },
        reason: {
          type: 'string',
          minLength: 1,
          description: 'Why the risk is accepted (a ticket).',
        },
        expires: {
          type: 'string',
          pattern:
            '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2}))?$',
          description:
            'A date (in force through that day, UTC) or a date-time with its offset; from then on the exemption suppresses nothing.',
        },
      },
    },
  },
} as const;
