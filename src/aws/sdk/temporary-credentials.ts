/** AssumeRole credentials for `import()` at run time; see ./ec2.ts for why it names what it exports. */
export { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
