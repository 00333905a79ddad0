/**
 * `audit --security-hub` against moto (https://github.com/getmoto/moto), a Security Hub we did not
 * write: the findings are imported, updated and archived there too. Skipped, saying so, without
 * moto_server (or a python3 with boto3) on PATH.
 *
 * What moto 5.2 does differently from AWS (and from our emulator), checked by hand:
 * - GetFindings applies no filter at all (its own docstring: "Filters and SortCriteria is not yet
 *   implemented"): it answers every finding of the account and region, archived ones included.
 *   eksposure checks what it reads again (src/report/security-hub-sync.ts), so it archives only
 *   its own active findings all the same.
 * - BatchImportFindings checks only that Resources is a non-empty list: no required field, no
 *   account or product rule, and Security Hub need not be enabled (EnableSecurityHub is never
 *   needed, and "not subscribed" is never answered by GetFindings or BatchImportFindings).
 * - An update merges the new fields into the stored finding; Security Hub's own fields (Region,
 *   ProcessedAt, Workflow) are never added.
 */
import { spawnSync } from 'node:child_process';
import { SecurityHubClient, GetFindingsCommand } from '@aws-sdk/client-securityhub';
import { isolatedAwsEnv, runCli } from '../support/cli.js';
import {
  type MotoServer,
  motoToolEnv,
  startMotoServer,
  describeIfMoto,
} from '../support/moto-server.js';
import { parseReport } from '../support/report.js';

const REGION = 'us-east-1';
const ACCOUNT = '123456789012'; // moto's default account

const describeWithMoto = describeIfMoto('the moto Security Hub tests');

/** Runs boto3 against moto's EKS in REGION (loopback only). */
function eks(endpoint: string, code: string): void {
  const script = `
import boto3, sys
eks = boto3.client("eks", region_name="${REGION}", endpoint_url="${endpoint}",
                   aws_access_key_id="AKIAMOTOSEED00000000", aws_secret_access_key="moto-seed-secret")
def create(name, public):
    eks.create_cluster(name=name, roleArn="arn:aws:iam::${ACCOUNT}:role/eks",
        resourcesVpcConfig={"subnetIds": ["subnet-0a1b2c3d4e5f00001"], "endpointPublicAccess": public,
                            "endpointPrivateAccess": not public, "publicAccessCidrs": ["0.0.0.0/0"]})
${code}
`;
  if (!endpoint.startsWith('http://127.0.0.1:')) throw new Error('moto must be on loopback');
  const run = spawnSync('python3', ['-c', script], { env: motoToolEnv(), encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`boto3 failed:\n${run.stderr}`);
}

describeWithMoto('audit --security-hub against moto_server', () => {
  let moto: MotoServer | undefined;
  let endpoint = '';

  beforeAll(async () => {
    moto = await startMotoServer();
    endpoint = moto.endpoint;
    eks(endpoint, 'create("open-a", True)\ncreate("to-delete", True)\ncreate("private-p", False)');
  }, 60_000);

  afterAll(async () => {
    await moto?.stop();
  });

  const audit = () =>
    runCli(
      [
        'audit',
        '--endpoint-url',
        endpoint,
        '--regions',
        REGION,
        '--security-hub',
        '--output',
        'json',
      ],
      isolatedAwsEnv({ AWS_REGION: REGION }),
    );

  /** "cluster STATE" of every finding moto holds. */
  async function held(): Promise<string[]> {
    const client = new SecurityHubClient({
      region: REGION,
      endpoint,
      credentials: { accessKeyId: 'AKIAMOTOSEED00000000', secretAccessKey: 'moto-seed-secret' },
    });
    try {
      const page = await client.send(new GetFindingsCommand({ MaxResults: 100 }));
      return (page.Findings ?? []).map((f) => `${f.Id?.split('/')[3]} ${f.RecordState}`).sort();
    } finally {
      client.destroy();
    }
  }

  it('imports the FAILs, updates them in place, and archives a deleted cluster’s', async () => {
    const first = await audit();
    expect(first.code).toBe(1);
    expect(parseReport(first.stdout).securityHub).toMatchObject({
      imported: 2,
      updated: 0,
      archived: 0,
      failed: 0,
    });
    expect(await held()).toEqual(['open-a ACTIVE', 'to-delete ACTIVE']);

    eks(endpoint, 'eks.delete_cluster(name="to-delete")');
    const second = await audit();
    expect(second.code).toBe(1);
    expect(parseReport(second.stdout).securityHub).toMatchObject({
      imported: 0,
      updated: 1,
      archived: 1,
      failed: 0,
    });
    expect(await held()).toEqual(['open-a ACTIVE', 'to-delete ARCHIVED']);

    // moto answers the archived finding too; it is not archived again.
    const third = await audit();
    expect(parseReport(third.stdout).securityHub).toMatchObject({ updated: 1, archived: 0 });
    expect(await held()).toEqual(['open-a ACTIVE', 'to-delete ARCHIVED']);
  }, 60_000);
});
