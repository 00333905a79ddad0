/** The STS client for `import()` at run time; see ./ec2.ts for why it names what it exports. */
export { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
