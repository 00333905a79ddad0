import {
  type CheckResult,
  NO_RULE_CONTEXT,
  type Rule,
  type RuleContext,
  type RuleMetadata,
} from './types.js';
import { type ClusterRecord } from '../model/scan.js';
import { type ProbeVerdict } from '../model/probe.js';
import { type Severity } from '../model/findings.js';

export const metadata: RuleMetadata = {
  id: 'EKS-PROBE-001',
  aliases: ['api-reachable'],
  title: 'API server reachable from the internet',
  // The severity of a FAIL is the observation's: critical for anonymous API access, medium for a
  // version leak or a certificate that does not match, low for an endpoint that refuses anonymous requests.
  severity: 'medium',
  rationale:
    'The configuration says what should be reachable; an anonymous probe shows what is. An API server ' +
    'that answers anonymous HTTPS requests from the internet can be fingerprinted (its /version names the ' +
    'exact Kubernetes build, and so the CVEs that apply), brute-forced with stolen credentials, and, if a ' +
    'role is bound to system:anonymous, read without any credential. Runs only with --probe.',
  remediation: {
    summary:
      'Make the endpoint private, or restrict publicAccessCidrs to the networks that need it; remove any ' +
      'binding to system:anonymous or system:unauthenticated. Run the audit with --probe again to confirm ' +
      'from outside.',
    cli:
      'aws eks update-cluster-config --region <region> --name <cluster> ' +
      '--resources-vpc-config endpointPublicAccess=false,endpointPrivateAccess=true',
    terraform:
      'vpc_config {\n  endpoint_public_access  = false\n  endpoint_private_access = true\n}',
  },
  references: [
    'https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html',
    'https://kubernetes.io/docs/reference/access-authn-authz/rbac/#discovery-roles',
    'https://kubernetes.io/docs/reference/access-authn-authz/authentication/#anonymous-requests',
  ],
};

/** How bad each observation is; null: nothing answered from here. */
export const VERDICT_SEVERITY: Readonly<Record<ProbeVerdict, Severity | null>> = {
  'not-reachable': null,
  'tls-mismatch': 'medium',
  'reachable-unrecognized': 'low',
  'anonymous-rejected': 'low',
  'version-disclosed': 'medium',
  'anonymous-api-access': 'critical',
};

/** The key probes are filed under in RuleContext.probes: the cluster's ARN (its name without one). */
export const probeKey = (cluster: Pick<ClusterRecord, 'arn' | 'name'>): string =>
  cluster.arn ?? cluster.name ?? '';

/**
 * FAIL when the endpoint answered an anonymous probe from here, with the observation's severity;
 * PASS when it did not, or when it was not probed (public access off, or no --probe); ERROR when
 * its host name did not resolve, so no address was probed.
 */
export function check(cluster: ClusterRecord, context: RuleContext = NO_RULE_CONTEXT): CheckResult {
  const probe = context.probes?.get(probeKey(cluster));
  if (!probe) {
    const why =
      cluster.resourcesVpcConfig?.endpointPublicAccess === false
        ? 'the public endpoint is off'
        : context.probes
          ? `DescribeCluster gave no https endpoint (${cluster.endpoint ?? 'none'})`
          : 'no probe was run (--probe)';
    return { status: 'PASS', message: `Not probed: ${why}.`, evidence: { probed: false } };
  }
  const evidence = {
    probed: true,
    verdict: probe.verdict,
    gitVersion: probe.gitVersion,
    vantage: probe.vantage,
  };
  if (probe.addresses.length === 0 && probe.verdict === 'not-reachable') {
    // The name did not resolve from here (or not in time): nothing was probed, and a PASS would
    // pass every cluster the day the auditing machine's DNS is down.
    return {
      status: 'ERROR',
      message: `Not probed: ${probe.summary}`,
      evidence,
      error: { code: 'EndpointNotResolved', message: probe.summary },
    };
  }
  const severity = VERDICT_SEVERITY[probe.verdict];
  if (severity === null) return { status: 'PASS', message: probe.summary, evidence };
  return { status: 'FAIL', severity, message: probe.summary, evidence };
}

export const eksProbe001ApiReachable: Rule = { metadata, check };
