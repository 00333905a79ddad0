import { createHash } from 'node:crypto';
import type { Cluster } from '@aws-sdk/client-eks';
import { isObject } from '../model/json-shape.js';
import { endpointAccessOf } from '../rules/endpoint-access.js';
import { type EndpointConfig, type EndpointChange } from '../model/endpoint.js';

/**
 * The rule's reading of the cluster (endpointAccessOf), in the fields UpdateClusterConfig takes:
 * AWS's defaults fill what DescribeCluster leaves out, the same way for the audit and the change.
 */
export function endpointConfigOf(cluster: Cluster): EndpointConfig {
  const access = endpointAccessOf(cluster);
  return {
    endpointPublicAccess: access.publicAccess,
    endpointPrivateAccess: access.privateAccess,
    publicAccessCidrs: access.effectivePublicAccessCidrs,
  };
}

export function applyChange(before: EndpointConfig, change: EndpointChange): EndpointConfig {
  return {
    endpointPublicAccess: change.endpointPublicAccess,
    endpointPrivateAccess: change.endpointPrivateAccess,
    publicAccessCidrs: change.publicAccessCidrs ?? before.publicAccessCidrs,
  };
}

const sortedUnique = (cidrs: readonly string[]) => [...new Set(cidrs)].sort();

/** EKS treats the allowlist as a set: order and repeats do not make a different configuration. */
export function sameEndpointConfig(a: EndpointConfig, b: EndpointConfig): boolean {
  return (
    a.endpointPublicAccess === b.endpointPublicAccess &&
    a.endpointPrivateAccess === b.endpointPrivateAccess &&
    sortedUnique(a.publicAccessCidrs).join(',') === sortedUnique(b.publicAccessCidrs).join(',')
  );
}

/** Two UpdateClusterConfig requests ask for the same thing (a list left out differs from any list). */
export function sameEndpointChange(a: EndpointChange, b: EndpointChange): boolean {
  const cidrs = (c: EndpointChange) =>
    c.publicAccessCidrs === undefined ? null : sortedUnique(c.publicAccessCidrs).join(',');
  return (
    a.endpointPublicAccess === b.endpointPublicAccess &&
    a.endpointPrivateAccess === b.endpointPrivateAccess &&
    cidrs(a) === cidrs(b)
  );
}

/** "public off, private on" or "public on [203.0.113.0/24], private on" */
export function formatEndpointChange(change: EndpointChange): string {
  const cidrs = change.publicAccessCidrs ? ` [${change.publicAccessCidrs.join(', ')}]` : '';
  return `public ${change.endpointPublicAccess ? 'on' : 'off'}${cidrs}, private ${change.endpointPrivateAccess ? 'on' : 'off'}`;
}

/** A stable digest of the configuration, so a saved plan can tell whether the cluster moved since. */
export function fingerprintOf(config: EndpointConfig): string {
  const canonical = JSON.stringify([
    config.endpointPublicAccess,
    config.endpointPrivateAccess,
    sortedUnique(config.publicAccessCidrs),
  ]);
  return `sha256:${createHash('sha256').update(canonical).digest('hex')}`;
}

/** "public on [0.0.0.0/0], private off" */
export function formatEndpointConfig(config: EndpointConfig): string {
  const cidrs = config.endpointPublicAccess ? ` [${config.publicAccessCidrs.join(', ')}]` : '';
  return `public ${config.endpointPublicAccess ? 'on' : 'off'}${cidrs}, private ${config.endpointPrivateAccess ? 'on' : 'off'}`;
}

/** Shape checks for configurations read back from files (plans, journals). */

export function isEndpointConfig(v: unknown): v is EndpointConfig {
  return (
    isObject(v) &&
    typeof v.endpointPublicAccess === 'boolean' &&
    typeof v.endpointPrivateAccess === 'boolean' &&
    Array.isArray(v.publicAccessCidrs) &&
    v.publicAccessCidrs.every((c) => typeof c === 'string')
  );
}

export function isEndpointChange(v: unknown): v is EndpointChange {
  return (
    isObject(v) &&
    typeof v.endpointPublicAccess === 'boolean' &&
    typeof v.endpointPrivateAccess === 'boolean' &&
    (v.publicAccessCidrs === undefined ||
      (Array.isArray(v.publicAccessCidrs) &&
        v.publicAccessCidrs.every((c) => typeof c === 'string')))
  );
}
