/**
 * Rule EKS-003 against moto (https://github.com/getmoto/moto), an AWS emulator we did not write:
 * boto3 builds clusters, security groups, a managed prefix list and tagged instances through
 * moto's own API, and the CLI audits them. Skipped, with a message, without moto_server and boto3.
 *
 * What moto 5.2 does differently from AWS (and from our emulator), checked by hand:
 * - Every instance launched into the default VPC's subnets gets a public IPv4 address; one
 *   launched into a new subnet (MapPublicIpOnLaunch false) gets none, as on AWS.
 * - Instances get no IPv6 address at all (Ipv6AddressCount and NetworkInterfaces[].Ipv6Addresses
 *   are accepted and ignored), so the IPv6 path of the rule cannot be exercised here.
 * - DescribeInstances honours tag-key with several values and instance-state-name; with
 *   MaxResults it pages, as AWS does.
 * - DescribeSecurityGroups answers every rule with empty UserIdGroupPairs / IpRanges / Ipv6Ranges /
 *   PrefixListIds lists where AWS leaves them out; GetManagedPrefixListEntries answers the entries.
 * - EKS clusters and EC2 instances are not tied: moto creates no nodes for a cluster (as a
 *   Fargate-only cluster), so nodes here are instances tagged by hand.
 */
import { spawnSync } from 'node:child_process';
import { isolatedAwsEnv, nodeAuditArgs, runCli } from '../support/cli.js';
import {
  type MotoServer,
  motoToolEnv,
  startMotoServer,
  describeIfMoto,
} from '../support/moto-server.js';
import { findingFor, parseReport } from '../support/report.js';

const REGION = 'us-east-1';
const ACCOUNT = '123456789012'; // moto's default account

const describeWithMoto = describeIfMoto('the moto EKS-003 (node exposure) tests');

/** Seeds moto (loopback only); prints a JSON object of the ids it made. */
function seed(endpoint: string): Record<string, string> {
  if (!endpoint.startsWith('http://127.0.0.1:')) throw new Error('moto must be on loopback');
  const script = `
import boto3, json
kw = dict(region_name="${REGION}", endpoint_url="${endpoint}",
          aws_access_key_id="AKIAMOTOSEED00000000", aws_secret_access_key="moto-seed-secret")
eks = boto3.client("eks", **kw)
ec2 = boto3.client("ec2", **kw)
for name in ["managed", "self-managed", "karpenter", "fargate-only"]:
    eks.create_cluster(name=name, roleArn="arn:aws:iam::${ACCOUNT}:role/eks",
        resourcesVpcConfig={"subnetIds": ["subnet-0a1b2c3d4e5f00001"], "endpointPublicAccess": False,
                            "endpointPrivateAccess": True})
vpc = ec2.describe_vpcs()["Vpcs"][0]["VpcId"]
private_subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="172.31.200.0/24")["Subnet"]["SubnetId"]
def group(name, permissions):
    gid = ec2.create_security_group(GroupName=name, Description=name, VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=gid, IpPermissions=permissions)
    return gid
kubelet = group("kubelet-open", [
    {"IpProtocol": "tcp", "FromPort": 10250, "ToPort": 10250, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
pl = ec2.create_managed_prefix_list(PrefixListName="anywhere", MaxEntries=5, AddressFamily="IPv4",
    Entries=[{"Cidr": "0.0.0.0/1"}, {"Cidr": "128.0.0.0/1"}])["PrefixList"]["PrefixListId"]
ssh = group("ssh-prefix-list", [
    {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "PrefixListIds": [{"PrefixListId": pl}]}])
internal = group("internal", [
    {"IpProtocol": "-1", "UserIdGroupPairs": [{"GroupId": kubelet}]}])
def node(tags, groups, subnet=None):
    extra = {"SubnetId": subnet} if subnet else {}
    return ec2.run_instances(ImageId="ami-12c6146b", MinCount=1, MaxCount=1, SecurityGroupIds=groups,
        TagSpecifications=[{"ResourceType": "instance",
                            "Tags": [{"Key": k, "Value": v} for k, v in tags.items()]}],
        **extra)["Instances"][0]["InstanceId"]
ids = {
  "managed": node({"eks:cluster-name": "managed"}, [kubelet, internal]),
  "selfManaged": node({"kubernetes.io/cluster/self-managed": "owned"}, [ssh]),
  "karpenter": node({"kubernetes.io/cluster/karpenter": "owned"}, [kubelet], private_subnet),
  "kubelet": kubelet, "ssh": ssh, "pl": pl,
}
stopped = node({"eks:cluster-name": "managed"}, [kubelet])
ec2.stop_instances(InstanceIds=[stopped])
print(json.dumps(ids))
`;
  const run = spawnSync('python3', ['-c', script], { env: motoToolEnv(), encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`boto3 failed:\n${run.stderr}`);
  return JSON.parse(run.stdout) as Record<string, string>;
}

describeWithMoto('EKS-003 (node exposure) against moto_server', () => {
  let moto: MotoServer | undefined;
  let ids: Record<string, string> = {};

  beforeAll(async () => {
    moto = await startMotoServer();
    ids = seed(moto.endpoint);
  }, 60_000);

  afterAll(async () => {
    await moto?.stop();
  });

  it('finds the tagged nodes and judges their groups as on AWS', async () => {
    const run = await runCli(
      nodeAuditArgs(moto?.endpoint ?? '', REGION),
      isolatedAwsEnv({ AWS_REGION: REGION }),
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const report = parseReport(run.stdout);
    expect(findingFor(report, REGION, 'managed')).toMatchObject({
      status: 'FAIL',
      severity: 'high',
      evidence: {
        nodes: 1, // the stopped one is not read
        exposedNodes: [
          {
            instanceId: ids['managed'],
            ports: [{ fromPort: 10250, service: 'kubelet' }],
            rules: [{ groupId: ids['kubelet'], ipProtocol: 'tcp', source: '0.0.0.0/0' }],
          },
        ],
      },
    });
    // SSH from a prefix list whose two halves add up to the whole internet.
    expect(findingFor(report, REGION, 'self-managed')).toMatchObject({
      status: 'FAIL',
      severity: 'medium',
      evidence: {
        exposedNodes: [
          {
            instanceId: ids['selfManaged'],
            ports: [{ fromPort: 22, service: 'ssh' }],
            rules: [{ groupId: ids['ssh'], source: ids['pl'] }],
          },
        ],
      },
    });
    expect(findingFor(report, REGION, 'karpenter')).toMatchObject({
      status: 'PASS',
      evidence: { nodes: 1, nodesWithPublicAddress: 0 },
    });
    expect(findingFor(report, REGION, 'fargate-only')).toMatchObject({
      status: 'PASS',
      evidence: { applicable: false },
    });
  });
});
