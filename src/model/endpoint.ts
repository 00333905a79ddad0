/** A cluster's API endpoint configuration, and a change to it. */

/** The three fields of a cluster's API endpoint configuration that remediation reads and changes. */
export interface EndpointConfig {
  readonly endpointPublicAccess: boolean;
  readonly endpointPrivateAccess: boolean;
  readonly publicAccessCidrs: readonly string[];
}

/**
 * What UpdateClusterConfig is asked to set. publicAccessCidrs is left out when the change does not
 * touch the allowlist (private mode): EKS then keeps the list it has.
 */
export interface EndpointChange {
  readonly endpointPublicAccess: boolean;
  readonly endpointPrivateAccess: boolean;
  readonly publicAccessCidrs?: readonly string[];
}
