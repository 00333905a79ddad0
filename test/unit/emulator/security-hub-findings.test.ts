import { ApiError } from '../../../src/emulator/errors.js';
import {
  defaultProductArn,
  importFindings,
  newSecurityHub,
} from '../../../src/emulator/securityhub/findings.js';

const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';

/** A finding of the caller's own default product, as Security Hub requires one to be. */
const finding = (id: string, updatedAt: string, extra: object = {}) => ({
  SchemaVersion: '2018-10-08',
  Id: id,
  ProductArn: defaultProductArn(REGION, ACCOUNT),
  GeneratorId: 'eksposure/EKS-001',
  AwsAccountId: ACCOUNT,
  Types: ['Software and Configuration Checks'],
  CreatedAt: '2026-12-01T00:00:00.000Z',
  UpdatedAt: updatedAt,
  Severity: { Label: 'HIGH' },
  Title: 'open',
  Description: 'open',
  Resources: [{ Type: 'AwsEksCluster', Id: 'arn:aws:eks:eu-west-1:111122223333:cluster/a' }],
  ...extra,
});

describe("the emulator's BatchImportFindings", () => {
  it("refuses the whole call, as AWS does, when a finding is another account's", () => {
    const hub = newSecurityHub();
    const call = () =>
      importFindings(
        hub,
        REGION,
        ACCOUNT,
        [
          finding('a', '2026-12-01T00:00:00.000Z'),
          finding('b', '2026-12-01T00:00:00.000Z', { AwsAccountId: '999999999999' }),
        ],
        new Date(),
      );
    expect(call).toThrow(ApiError);
    expect(call).toThrow(/not authorized to perform: securityhub:BatchImportFindings/);
    expect(hub.findings.size).toBe(0);
  });

  it('ignores an update that is not later than the finding it holds, and counts it a success', () => {
    const hub = newSecurityHub();
    importFindings(hub, REGION, ACCOUNT, [finding('a', '2026-12-02T00:00:00.000Z')], new Date());
    const stale = importFindings(
      hub,
      REGION,
      ACCOUNT,
      [finding('a', '2026-12-01T00:00:00.000Z', { RecordState: 'ARCHIVED' })],
      new Date(),
    );
    expect(stale).toMatchObject({ SuccessCount: 1, FailedCount: 0 });
    expect(hub.findings.get('a')?.RecordState).toBe('ACTIVE');
    importFindings(
      hub,
      REGION,
      ACCOUNT,
      [finding('a', '2026-12-03T00:00:00.000Z', { RecordState: 'ARCHIVED' })],
      new Date(),
    );
    expect(hub.findings.get('a')?.RecordState).toBe('ARCHIVED');
  });

  it('lists a finding without a required field in FailedFindings and takes the others', () => {
    const hub = newSecurityHub();
    const untitled = { ...finding('b', '2026-12-01T00:00:00.000Z') } as Record<string, unknown>;
    delete untitled.Title;
    const answer = importFindings(
      hub,
      REGION,
      ACCOUNT,
      [finding('a', '2026-12-01T00:00:00.000Z'), untitled],
      new Date(),
    );
    expect(answer).toMatchObject({ SuccessCount: 1, FailedCount: 1 });
    expect(answer.FailedFindings[0]).toMatchObject({ Id: 'b', ErrorCode: 'InvalidInput' });
  });
});
