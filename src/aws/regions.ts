import type { DescribeRegionsCommandOutput, EC2Client } from '@aws-sdk/client-ec2';
import { toErrorInfo } from '../model/errors.js';
import { type RegionList } from '../model/scan.js';

/**
 * Pure: the account's regions from a DescribeRegions answer. Every account has regions, so an
 * answer without any (an HTML page or an empty body parses to that) is a fault, not an empty account.
 */
export function readRegionList(answer: Pick<DescribeRegionsCommandOutput, 'Regions'>): RegionList {
  const regions = (answer.Regions ?? []).flatMap((r) =>
    r.RegionName
      ? [{ name: r.RegionName, optInStatus: r.OptInStatus ?? 'opt-in-not-required' }]
      : [],
  );
  if (regions.length === 0) {
    return {
      ok: false,
      error: {
        code: 'InvalidResponse',
        message: 'DescribeRegions answered without any region (not an EC2 answer?)',
      },
    };
  }
  return { ok: true, regions };
}

/** Never throws: a failed call, like an answer that names no region, is an error value. */
export async function listAccountRegions(
  ec2: EC2Client,
  signal: AbortSignal | undefined,
): Promise<RegionList> {
  try {
    // The EC2 module is loaded here, on the first call, not with the audit.
    const { DescribeRegionsCommand } = await import('./sdk/ec2.js');
    const answer = await ec2.send(new DescribeRegionsCommand({ AllRegions: true }), {
      abortSignal: signal,
    });
    return readRegionList(answer);
  } catch (error) {
    return { ok: false, error: toErrorInfo(error) };
  }
}
