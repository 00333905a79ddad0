import {
  accountIdOfRoleArn,
  parseAccountIds,
  parseAccountsFile,
  roleArnFor,
  selectNamedAccounts,
  selectOrganizationAccounts,
} from '../../../src/accounts/targets.js';

const TEMPLATE = 'arn:aws:iam::{account}:role/SecurityAudit';

describe('account selection', () => {
  it('fills the role template with each account id; no template, no role', () => {
    expect(roleArnFor(TEMPLATE, '111111111111')).toBe(
      'arn:aws:iam::111111111111:role/SecurityAudit',
    );
    expect(roleArnFor(undefined, '111111111111')).toBeNull();
    expect(accountIdOfRoleArn('arn:aws:iam::222222222222:role/A')).toBe('222222222222');
    expect(accountIdOfRoleArn(TEMPLATE)).toBeUndefined();
  });

  it('reads comma-separated and repeated ids, keeps leading zeros, and names what is not an id', () => {
    expect(parseAccountIds(['011111111111,222222222222', ' 011111111111 ', '12345'])).toEqual({
      ids: ['011111111111', '222222222222'],
      malformed: ['12345'],
    });
  });

  it('reads an accounts file: comments, blank lines, CRLF; reports the line of a bad entry', () => {
    const text = '# production\r\n111111111111\r\n\r\n222222222222  # payments\nabc\n';
    expect(parseAccountsFile(text)).toEqual({
      ids: ['111111111111', '222222222222'],
      malformed: [{ line: 5, text: 'abc' }],
    });
  });

  it('drops excluded accounts and sorts the rest by id', () => {
    const selection = selectNamedAccounts(
      ['333333333333', '111111111111', '222222222222'],
      new Set(['222222222222']),
      TEMPLATE,
    );
    expect(selection.scan.map((t) => t.accountId)).toEqual(['111111111111', '333333333333']);
    expect(selection.scan[0]?.roleArn).toBe('arn:aws:iam::111111111111:role/SecurityAudit');
  });

  it('scans ACTIVE organization accounts, skips the others with their state, Status only as a fallback', () => {
    const selection = selectOrganizationAccounts(
      [
        { Id: '444444444444', Name: 'closed', State: 'CLOSED', Status: 'ACTIVE' },
        { Id: '111111111111', Name: 'prod', State: 'ACTIVE' },
        { Id: '222222222222', Name: 'old', Status: 'SUSPENDED' },
        { Id: '333333333333', Name: 'legacy', Status: 'ACTIVE' },
        { Id: '555555555555', Name: 'excluded', State: 'ACTIVE' },
        { Id: '111111111111', Name: 'prod', State: 'ACTIVE' },
      ],
      new Set(['555555555555']),
      TEMPLATE,
    );
    expect(selection.scan.map((t) => [t.accountId, t.name])).toEqual([
      ['111111111111', 'prod'],
      ['333333333333', 'legacy'],
    ]);
    expect(selection.skipped).toEqual([
      { accountId: '222222222222', name: 'old', reason: 'state SUSPENDED' },
      { accountId: '444444444444', name: 'closed', reason: 'state CLOSED' },
    ]);
  });
});
