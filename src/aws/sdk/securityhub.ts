/** The Security Hub client for `import()` at run time; see ./ec2.ts for why it names what it exports. */
export {
  BatchImportFindingsCommand,
  GetFindingsCommand,
  SecurityHubClient,
} from '@aws-sdk/client-securityhub';
