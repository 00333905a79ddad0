import { checkListPage, type ListingSeen } from '../../../src/aws/collect-clusters.js';

const nothingSeen: ListingSeen = { tokens: new Set(), names: new Set() };

describe('checkListPage', () => {
  it('accepts a page of new names and passes its nextToken on', () => {
    expect(checkListPage(nothingSeen, { clusters: ['a', 'b'], nextToken: 't1' })).toEqual({
      ok: true,
      names: ['a', 'b'],
      nextToken: 't1',
    });
  });

  it('treats an empty cluster list as an empty region, and an empty token as the last page', () => {
    expect(checkListPage(nothingSeen, { clusters: [], nextToken: '' })).toEqual({
      ok: true,
      names: [],
      nextToken: undefined,
    });
  });

  it('refuses an answer without a cluster list: an empty or HTML body is not an empty region', () => {
    expect(checkListPage(nothingSeen, {})).toEqual({
      ok: false,
      error: {
        code: 'InvalidResponse',
        message: expect.stringContaining('without a cluster list'),
      },
    });
  });

  it('stops at a nextToken it has followed before', () => {
    const seen: ListingSeen = { tokens: new Set(['t1']), names: new Set(['a']) };
    expect(checkListPage(seen, { clusters: ['b'], nextToken: 't1' })).toEqual({
      ok: false,
      error: { code: 'PaginationLoop', message: expect.stringContaining('nextToken') },
    });
  });

  it('stops at a name listed on an earlier page, and names it', () => {
    const seen: ListingSeen = { tokens: new Set(['t1']), names: new Set(['a', 'b']) };
    expect(checkListPage(seen, { clusters: ['c', 'b'], nextToken: 't2' })).toEqual({
      ok: false,
      error: { code: 'PaginationLoop', message: expect.stringContaining('"b" twice') },
    });
  });

  it('stops at a name listed twice on one page', () => {
    expect(checkListPage(nothingSeen, { clusters: ['a', 'a'] })).toMatchObject({
      ok: false,
      error: { code: 'PaginationLoop' },
    });
  });
});
