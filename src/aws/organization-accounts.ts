import type { ListAccountsCommandOutput, OrganizationsClient } from '@aws-sdk/client-organizations';

import { type ErrorInfo, toErrorInfo } from '../model/errors.js';
import { type OrganizationAccount, type OrganizationListing } from '../model/accounts.js';

type Page = Pick<ListAccountsCommandOutput, 'Accounts' | 'NextToken'>;

/**
 * Pure: the next token of a page, or the fault. A page may be empty and still carry a token
 * (Organizations says to follow NextToken until it is absent); a token seen before would loop forever.
 */
export function nextPageToken(
  operation: string,
  seen: ReadonlySet<string>,
  page: { readonly NextToken?: string | undefined },
):
  | { readonly ok: true; readonly token: string | undefined }
  | { readonly ok: false; readonly error: ErrorInfo } {
  const token = page.NextToken || undefined;
  if (token !== undefined && seen.has(token))
    return {
      ok: false,
      error: {
        code: 'PaginationLoop',
        message: `${operation} returned a NextToken it had returned before; the listing cannot be trusted`,
      },
    };
  return { ok: true, token };
}

async function allPages<T>(
  operation: string,
  fetch: (
    token: string | undefined,
  ) => Promise<{ items: readonly T[] | undefined; NextToken?: string | undefined }>,
): Promise<T[]> {
  const items: T[] = [];
  const seen = new Set<string>();
  let token: string | undefined;
  do {
    const page = await fetch(token);
    items.push(...(page.items ?? []));
    const next = nextPageToken(operation, seen, page);
    if (!next.ok) throw Object.assign(new Error(next.error.message), { name: next.error.code });
    token = next.token;
    if (token !== undefined) seen.add(token);
  } while (token !== undefined);
  return items;
}

/**
 * The organization's accounts (ListAccounts), or those under one OU or root and every unit below
 * it (ListAccountsForParent, ListOrganizationalUnitsForParent, recursively). Never throws.
 */
export async function listOrganizationAccounts(
  client: OrganizationsClient,
  parentId: string | undefined,
  signal: AbortSignal | undefined,
): Promise<OrganizationListing> {
  const {
    ListAccountsCommand,
    ListAccountsForParentCommand,
    ListOrganizationalUnitsForParentCommand,
  } = await import('./sdk/organizations.js');
  const options = { abortSignal: signal };
  try {
    if (parentId === undefined) {
      const accounts = await allPages('ListAccounts', async (NextToken) => {
        const page: Page = await client.send(new ListAccountsCommand({ NextToken }), options);
        return { items: page.Accounts, NextToken: page.NextToken };
      });
      return { ok: true, accounts };
    }
    const accounts: OrganizationAccount[] = [];
    const parents = [parentId];
    const visited = new Set<string>();
    for (let parent = parents.shift(); parent !== undefined; parent = parents.shift()) {
      if (visited.has(parent)) continue;
      visited.add(parent);
      const ParentId = parent;
      const [own, units] = await Promise.all([
        allPages('ListAccountsForParent', async (NextToken) => {
          const page = await client.send(
            new ListAccountsForParentCommand({ ParentId, NextToken }),
            options,
          );
          return { items: page.Accounts, NextToken: page.NextToken };
        }),
        allPages('ListOrganizationalUnitsForParent', async (NextToken) => {
          const page = await client.send(
            new ListOrganizationalUnitsForParentCommand({ ParentId, NextToken }),
            options,
          );
          return { items: page.OrganizationalUnits, NextToken: page.NextToken };
        }),
      ]);
      accounts.push(...own);
      for (const unit of units) if (unit.Id) parents.push(unit.Id);
    }
    return { ok: true, accounts };
  } catch (error) {
    return { ok: false, error: toErrorInfo(error) };
  }
}
