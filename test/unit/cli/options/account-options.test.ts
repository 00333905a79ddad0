import { DEFAULT_RATES } from '../../../../src/aws/pacing.js';
import {
  type AccountArgs,
  parsePacing,
  resolveAccountScope,
} from '../../../../src/cli/options/account-options.js';
import { CliError } from '../../../../src/cli/cli-error.js';

const defaults: AccountArgs = {
  'role-session-name': 'eksposure',
  'role-duration': 3600,
  'account-concurrency': 20,
};
const TEMPLATE = 'arn:aws:iam::{account}:role/SecurityAudit';
const noFile = (): string => {
  throw Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' });
};

function refusal(args: Partial<AccountArgs>, read: (path: string) => string = noFile): string {
  try {
    resolveAccountScope({ ...defaults, ...args }, read);
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(2);
    const { message } = error as CliError;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error('expected a refusal');
}

describe('account flags', () => {
  it('without account flags: the caller’s own account, with its own credentials', () => {
    expect(resolveAccountScope(defaults)).toMatchObject({
      source: { kind: 'caller' },
      roleArnTemplate: undefined,
      role: { sessionName: 'eksposure', durationSeconds: 3600 },
      accountConcurrency: 20,
    });
  });

  it('merges --accounts and --accounts-file', () => {
    const scope = resolveAccountScope(
      {
        ...defaults,
        accounts: ['111111111111,222222222222'],
        'accounts-file': 'a.txt',
        'role-arn': TEMPLATE,
      },
      () => '# two\n222222222222\n333333333333\n',
    );
    expect(scope.source).toEqual({
      kind: 'named',
      accountIds: ['111111111111', '222222222222', '333333333333'],
    });
  });

  it('--role-arn alone scans the account it names', () => {
    expect(
      resolveAccountScope({ ...defaults, 'role-arn': 'arn:aws:iam::111111111111:role/A' }).source,
    ).toEqual({ kind: 'role', accountId: '111111111111' });
  });

  it('--organization with an OU and exclusions', () => {
    const scope = resolveAccountScope({
      ...defaults,
      organization: true,
      ou: 'ou-ab12-cd34ef56',
      'exclude-accounts': ['111111111111'],
      'role-arn': TEMPLATE,
      'external-id': 'audit-2026',
    });
    expect(scope.source).toEqual({ kind: 'organization', parentId: 'ou-ab12-cd34ef56' });
    expect([...scope.exclude]).toEqual(['111111111111']);
    expect(scope.role.externalId).toBe('audit-2026');
  });

  it.each([
    [{ accounts: ['12345'], 'role-arn': TEMPLATE }, '--accounts: "12345" is not an account id'],
    [{ accounts: ['111111111111', '22222222222x'] }, '"22222222222x" is not an account id'],
    [{ accounts: ['111111111111,222222222222'] }, '--accounts needs --role-arn'],
    [
      { accounts: ['111111111111,222222222222'], 'role-arn': 'arn:aws:iam::111111111111:role/A' },
      'put {account} where the account id goes',
    ],
    [{ organization: true, 'role-arn': 'arn:aws:iam::111111111111:role/A' }, 'put {account}'],
    [
      { organization: true, accounts: ['111111111111'], 'role-arn': TEMPLATE },
      '--organization lists the accounts itself',
    ],
    [{ ou: 'ou-ab12-cd34ef56' }, '--ou needs --organization'],
    [
      { organization: true, ou: 'finance', 'role-arn': TEMPLATE },
      '--ou "finance" is not an organizational unit id',
    ],
    [{ 'role-arn': 'SecurityAudit' }, '--role-arn "SecurityAudit" is not an IAM role ARN'],
    [{ 'role-arn': TEMPLATE }, 'needs the accounts to fill it'],
    [{ 'external-id': 'x1' }, '--external-id goes with --role-arn'],
    [
      { 'role-arn': 'arn:aws:iam::111111111111:role/A', 'external-id': 'a b' },
      '--external-id must be',
    ],
    [{ 'role-session-name': 'a b' }, '--role-session-name "a b"'],
    [
      { 'role-duration': 899 },
      '--role-duration must be a whole number of seconds from 900 to 43200, got 899',
    ],
    [{ 'role-duration': 'long' }, 'got "long"'],
    [{ 'account-concurrency': 0 }, '--account-concurrency must be a whole number'],
    [
      { accounts: ['111111111111'], 'exclude-accounts': ['111111111111'], 'role-arn': TEMPLATE },
      'leaves out every account named',
    ],
    [{ 'exclude-accounts': ['abc'] }, '--exclude-accounts: "abc" is not an account id'],
  ] as [Partial<AccountArgs>, string][])('refuses %j in one line', (args, expected) => {
    expect(refusal(args)).toContain(expected);
  });

  it('names the unreadable accounts file and the line that is not an id', () => {
    expect(refusal({ 'accounts-file': 'missing.txt', 'role-arn': TEMPLATE })).toBe(
      '--accounts-file missing.txt: cannot be read: no such file or folder (ENOENT).',
    );
    expect(
      refusal({ 'accounts-file': 'a.txt', 'role-arn': TEMPLATE }, () => '111111111111\nprod\n'),
    ).toContain('--accounts-file a.txt, line 2: "prod" is not an account id');
    expect(refusal({ 'accounts-file': 'a.txt', 'role-arn': TEMPLATE }, () => '# none\n')).toContain(
      'names no account',
    );
  });
});

describe('--pace', () => {
  it('defaults to our buckets, takes one service’s over them, and turns off', () => {
    expect(parsePacing(undefined)).toEqual(DEFAULT_RATES);
    expect(parsePacing(['eks=40/20', 'sts=5/2.5'])).toEqual({
      ...DEFAULT_RATES,
      eks: { burst: 40, perSecond: 20 },
      sts: { burst: 5, perSecond: 2.5 },
    });
    expect(parsePacing(['off'])).toBeNull();
  });

  it.each(['eks=0/10', 'eks=10/0', 'lambda=1/1', 'eks=10'])('refuses --pace %s', (value) => {
    expect(refusal({ pace: [value] })).toContain(
      `--pace "${value}" is not SERVICE=BURST/PER_SECOND`,
    );
  });
});
