/** The credential chain for `import()` at run time; see ./ec2.ts for why it names what it exports. */
export { fromNodeProviderChain } from '@aws-sdk/credential-providers';
