/** Every format `remediate --iac-dir` reads, in the order their definitions are listed. */
import { cloudFormationFormat } from './cloudformation/cloudformation.format.js';
import { crossplaneFormat } from './crossplane/crossplane.format.js';
import { eksctlFormat } from './eksctl/eksctl.format.js';
import { terraformFormat } from './terraform/terraform.format.js';
import type { IacFormat } from './types.js';

export const IAC_FORMATS: readonly IacFormat[] = [
  terraformFormat,
  cloudFormationFormat,
  eksctlFormat,
  crossplaneFormat,
];
