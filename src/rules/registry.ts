import { eks001EndpointPublicAccess } from './eks-001-endpoint-public-access.js';
import type { Rule } from './types.js';

/** Every rule the audit runs, in report order. A test pins this list. */
export const rules: readonly Rule[] = [eks001EndpointPublicAccess];
