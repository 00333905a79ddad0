import type { AwsSecurityFinding, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { toErrorInfo } from '../model/errors.js';
import type {
  AsffFinding,
  FindingsListing,
  ImportOutcome,
  SecurityHubQuery,
} from '../model/security-hub.js';

/** The most findings BatchImportFindings takes in one call, and GetFindings answers in one page. */
export const SECURITY_HUB_PAGE = 100;

const aborting = (signal: AbortSignal | undefined) => (signal ? { abortSignal: signal } : {});

const equals = (value: string) => [{ Value: value, Comparison: 'EQUALS' as const }];

/**
 * GetFindings to the last page: our active findings in one account and region (StringFilter
 * EQUALS on ProductArn, AwsAccountId, Region and RecordState; several GeneratorIds are ORed).
 * Never throws; a page token seen twice is an error.
 */
export async function getFindings(
  clientOf: () => Promise<SecurityHubClient>,
  query: SecurityHubQuery,
  signal: AbortSignal | undefined,
): Promise<FindingsListing> {
  // Loaded with the client (only with --security-hub): ASFF's schemas are a few hundred KB.
  const { GetFindingsCommand } = await import('./sdk/securityhub.js');
  const findings: AsffFinding[] = [];
  const seen = new Set<string>();
  let nextToken: string | undefined;
  try {
    // Inside the try: a client that cannot be made (clients already destroyed) is an error value too.
    const client = await clientOf();
    do {
      const page = await client.send(
        new GetFindingsCommand({
          Filters: {
            ProductArn: equals(query.productArn),
            AwsAccountId: equals(query.accountId),
            Region: equals(query.region),
            RecordState: equals('ACTIVE'),
            GeneratorId: query.generatorIds.map((id) => ({ Value: id, Comparison: 'EQUALS' })),
          },
          MaxResults: SECURITY_HUB_PAGE,
          ...(nextToken ? { NextToken: nextToken } : {}),
        }),
        aborting(signal),
      );
      findings.push(...((page.Findings ?? []) as unknown as AsffFinding[]));
      nextToken = page.NextToken || undefined;
      if (nextToken !== undefined && seen.has(nextToken))
        throw new Error(`GetFindings repeated the page token ${nextToken}`);
      if (nextToken !== undefined) seen.add(nextToken);
    } while (nextToken);
    return { ok: true, findings };
  } catch (error) {
    return { ok: false, error: toErrorInfo(error) };
  }
}

/** One BatchImportFindings call (at most SECURITY_HUB_PAGE findings); never throws. */
export async function batchImportFindings(
  clientOf: () => Promise<SecurityHubClient>,
  findings: readonly AsffFinding[],
  signal: AbortSignal | undefined,
): Promise<ImportOutcome> {
  if (findings.length > SECURITY_HUB_PAGE)
    throw new RangeError(`BatchImportFindings takes at most ${SECURITY_HUB_PAGE} findings`);
  const { BatchImportFindingsCommand } = await import('./sdk/securityhub.js');
  try {
    const client = await clientOf();
    const answer = await client.send(
      new BatchImportFindingsCommand({
        Findings: findings as unknown as AwsSecurityFinding[],
      }),
      aborting(signal),
    );
    const failed = (answer.FailedFindings ?? []).map((f) => ({
      id: f.Id ?? '',
      code: f.ErrorCode ?? 'Unknown',
      message: f.ErrorMessage ?? '',
    }));
    return { ok: true, failed };
  } catch (error) {
    return { ok: false, error: toErrorInfo(error) };
  }
}
