/**
 * The EC2 commands rule EKS-003 sends, apart from ./ec2.ts so that an audit without EKS-003 loads
 * none of them (start-up reads only the commands it sends).
 */
export {
  DescribeInstancesCommand,
  DescribeSecurityGroupsCommand,
  GetManagedPrefixListEntriesCommand,
} from '@aws-sdk/client-ec2';
