import type { AwsClients } from './clients.js';
import { toErrorInfo } from '../model/errors.js';
import { type CallerAccount } from '../model/scan.js';

/** STS GetCallerIdentity: the account the caller's credentials act in. Never throws. */
export async function callerAccountId(
  clients: AwsClients,
  region: string,
  signal: AbortSignal | undefined,
): Promise<CallerAccount> {
  try {
    const [sts, { GetCallerIdentityCommand }] = await Promise.all([
      clients.sts(region),
      import('./sdk/sts.js'),
    ]);
    const answer = await sts.send(new GetCallerIdentityCommand({}), { abortSignal: signal });
    if (!answer.Account)
      return {
        ok: false,
        error: { code: 'InvalidResponse', message: 'GetCallerIdentity named no account' },
      };
    return { ok: true, accountId: answer.Account };
  } catch (error) {
    return { ok: false, error: toErrorInfo(error) };
  }
}
