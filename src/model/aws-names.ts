/**
 * AWS name formats, shared by the CLI and the emulator. Imports nothing, so checking a flag never
 * loads the AWS SDK.
 */

/** Region names look like us-east-1, eu-central-2, us-gov-west-1, cn-north-1. */
export const REGION_NAME_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/** EKS cluster names: a letter or digit, then letters, digits, - and _, up to 100 in all. */
export const CLUSTER_NAME_PATTERN = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;

const ARN_ACCOUNT = /^arn:[^:]+:[^:]*:[^:]*:(\d{12}):/;

/** The account an ARN names (arn:aws:eks:us-east-1:111122223333:cluster/x), or null. */
export function accountFromArn(arn: string | null | undefined): string | null {
  return arn ? (ARN_ACCOUNT.exec(arn)?.[1] ?? null) : null;
}
