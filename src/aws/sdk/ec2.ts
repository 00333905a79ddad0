/**
 * The parts of the EC2 client eksposure loads on demand. A dynamic `import()` of the package itself
 * would make esbuild keep every command, paginator and waiter of EC2's 700 operations (about 2 MB
 * to compile at each start); importing through this module keeps only what is named here.
 */
export {
  DescribeRegionsCommand,
  DescribeVpcAttributeCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
