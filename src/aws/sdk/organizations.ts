/** The Organizations client for `import()` at run time; see ./ec2.ts for why it names what it exports. */
export {
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
