/** The EKS client for `import()` at run time; see ./ec2.ts for why it names what it exports. */
export { EKSClient } from '@aws-sdk/client-eks';
