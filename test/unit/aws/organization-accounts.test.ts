import { nextPageToken } from '../../../src/aws/organization-accounts.js';

describe('Organizations paging', () => {
  it('follows a token, even from an empty page, and stops when it is absent or empty', () => {
    expect(nextPageToken('ListAccounts', new Set(), { NextToken: 'page-2' })).toEqual({
      ok: true,
      token: 'page-2',
    });
    expect(nextPageToken('ListAccounts', new Set(['page-2']), {})).toEqual({
      ok: true,
      token: undefined,
    });
    expect(nextPageToken('ListAccounts', new Set(), { NextToken: '' })).toEqual({
      ok: true,
      token: undefined,
    });
  });

  it('refuses a token it has seen before instead of paging forever', () => {
    expect(nextPageToken('ListAccountsForParent', new Set(['a', 'b']), { NextToken: 'a' })).toEqual(
      {
        ok: false,
        error: {
          code: 'PaginationLoop',
          message:
            'ListAccountsForParent returned a NextToken it had returned before; the listing cannot be trusted',
        },
      },
    );
  });
});
