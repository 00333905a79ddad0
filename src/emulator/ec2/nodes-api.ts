/**
 * EC2's node reads as AWS answers them in the query protocol: DescribeInstances (filters tag:KEY,
 * tag-key, instance-state-name, instance-id; MaxResults and NextToken), DescribeSecurityGroups
 * (GroupIds, filter group-id; pagination), GetManagedPrefixListEntries and DescribeManagedPrefixLists.
 */
import { createHash } from 'node:crypto';
import { ApiError } from '../errors.js';
import { decodePageToken, encodePageToken } from '../page-token.js';
import type { FixtureInstance, FixtureSecurityGroup } from '../fixture.js';
import type { CallContext } from '../service-api.js';
import { element, textElement } from '../xml.js';

const STATE_CODES: Readonly<Record<string, number>> = {
  pending: 0,
  running: 16,
  'shutting-down': 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
};

function listParam(params: URLSearchParams, prefix: string): string[] {
  const values: string[] = [];
  for (let i = 1; params.has(`${prefix}.${i}`); i++)
    values.push(params.get(`${prefix}.${i}`) ?? '');
  return values;
}

/**
 * EC2's limits on a call's filters, as its errors state them ("FilterLimitExceeded: The maximum
 * number of filter values specified on a single call is 200", "... The maximum length for a filter
 * value is 255 characters": quoted in public issue threads, e.g. gjbae1212/gossm#35 and
 * ansible-collections/amazon.aws#2393; AWS's reference does not list them). That the 200 count all
 * filters together is our reading of "on a single call".
 */
const MAX_FILTER_VALUES = 200;
const MAX_FILTER_VALUE_LENGTH = 255;

function filtersOf(params: URLSearchParams): { name: string; values: string[] }[] {
  const filters: { name: string; values: string[] }[] = [];
  for (let i = 1; params.has(`Filter.${i}.Name`); i++)
    filters.push({
      name: params.get(`Filter.${i}.Name`) ?? '',
      values: listParam(params, `Filter.${i}.Value`),
    });
  const values = filters.flatMap((f) => f.values);
  if (values.length > MAX_FILTER_VALUES)
    throw new ApiError(
      400,
      'FilterLimitExceeded',
      `The maximum number of filter values specified on a single call is ${MAX_FILTER_VALUES}`,
    );
  if (values.some((v) => v.length > MAX_FILTER_VALUE_LENGTH))
    throw new ApiError(
      400,
      'FilterLimitExceeded',
      `The maximum length for a filter value is ${MAX_FILTER_VALUE_LENGTH} characters`,
    );
  return filters;
}

const hex = (seed: string, n: number) =>
  createHash('sha256').update(seed).digest('hex').slice(0, n);

function decodeToken(token: string | null, scope: string): number {
  if (!token) return 0;
  const offset = decodePageToken(token, scope);
  if (offset !== undefined) return offset;
  throw new ApiError(400, 'InvalidParameterValue', `Invalid value '${token}' for nextToken`);
}

/** A page as MaxResults (between min and max; all when absent) and NextToken ask for. */
function page<T>(
  items: readonly T[],
  params: URLSearchParams,
  scope: string,
  min: number,
  max: number,
): { items: readonly T[]; nextToken: string } {
  const text = params.get('MaxResults');
  const offset = decodeToken(params.get('NextToken'), scope);
  if (text === null) return { items: items.slice(offset), nextToken: '' };
  const size = Number(text);
  if (!Number.isInteger(size) || size < min || size > max)
    throw new ApiError(
      400,
      'InvalidParameterValue',
      `Value ( ${text} ) for parameter maxResults is invalid. Expecting a value between ${min} and ${max}.`,
    );
  const end = offset + size;
  return {
    items: items.slice(offset, end),
    nextToken: end < items.length ? encodePageToken(scope, end) : '',
  };
}

const items = (name: string, inner: readonly string[]) =>
  element(name, inner.map((i) => element('item', i)).join(''));

function instanceMatches(instance: FixtureInstance, name: string, values: string[]): boolean {
  const tags = instance.tags ?? {};
  if (name === 'tag-key') return values.some((v) => v in tags);
  if (name.startsWith('tag:')) {
    const value = tags[name.slice(4)];
    return value !== undefined && values.includes(value);
  }
  if (name === 'instance-state-name') return values.includes(instance.state ?? 'running');
  if (name === 'instance-id') return values.includes(instance.instanceId);
  throw new ApiError(400, 'InvalidParameterValue', `The filter '${name}' is invalid`);
}

function instanceXml(
  instance: FixtureInstance,
  groups: ReadonlyMap<string, FixtureSecurityGroup>,
): string {
  const state = instance.state ?? 'running';
  const groupSet = items(
    'groupSet',
    (instance.securityGroups ?? []).map(
      (id) => textElement('groupId', id) + textElement('groupName', groups.get(id)?.name ?? id),
    ),
  );
  const ipv6 = instance.ipv6Addresses ?? [];
  const eni =
    textElement('networkInterfaceId', `eni-${hex(instance.instanceId, 17)}`) +
    textElement('status', 'in-use') +
    (instance.privateIp ? textElement('privateIpAddress', instance.privateIp) : '') +
    groupSet +
    items(
      'ipv6AddressesSet',
      ipv6.map((a) => textElement('ipv6Address', a)),
    ) +
    (instance.publicIp
      ? element(
          'association',
          textElement('publicIp', instance.publicIp) + textElement('ipOwnerId', 'amazon'),
        )
      : '');
  return (
    textElement('instanceId', instance.instanceId) +
    textElement('imageId', 'ami-0abcdef1234567890') +
    element(
      'instanceState',
      element('code', String(STATE_CODES[state] ?? 16)) + textElement('name', state),
    ) +
    textElement('instanceType', 'm5.large') +
    (instance.privateIp ? textElement('privateIpAddress', instance.privateIp) : '') +
    (instance.publicIp ? textElement('ipAddress', instance.publicIp) : '') +
    (ipv6[0] ? textElement('ipv6Address', ipv6[0]) : '') +
    groupSet +
    items('networkInterfaceSet', [eni]) +
    items(
      'tagSet',
      Object.entries(instance.tags ?? {}).map(
        ([key, value]) => textElement('key', key) + textElement('value', value),
      ),
    )
  );
}

export function describeInstances(
  { account, region }: CallContext,
  params: URLSearchParams,
): string {
  const ids = listParam(params, 'InstanceId');
  if (ids.length > 0 && params.has('MaxResults'))
    throw new ApiError(
      400,
      'InvalidParameterCombination',
      'The parameter instancesSet cannot be used with the parameter maxResults',
    );
  let found = region.instances.filter((i) => ids.length === 0 || ids.includes(i.instanceId));
  for (const id of ids)
    if (!region.instances.some((i) => i.instanceId === id))
      throw new ApiError(
        400,
        'InvalidInstanceID.NotFound',
        `The instance ID '${id}' does not exist`,
      );
  for (const filter of filtersOf(params))
    found = found.filter((i) => instanceMatches(i, filter.name, filter.values));
  const { items: shown, nextToken } = page(
    found,
    params,
    `DescribeInstances/${region.name}`,
    5,
    1000,
  );
  // One reservation per instance, as instances launched one at a time are.
  const reservations = shown.map(
    (i) =>
      textElement('reservationId', `r-${hex(i.instanceId, 17)}`) +
      textElement('ownerId', account.accountId) +
      element('groupSet', '') +
      items('instancesSet', [instanceXml(i, region.securityGroups)]),
  );
  return (
    items('reservationSet', reservations) + (nextToken ? textElement('nextToken', nextToken) : '')
  );
}

function permissionXml(
  rule: NonNullable<FixtureSecurityGroup['ingress']>[number],
  accountId: string,
): string {
  const allPorts = rule.protocol === '-1';
  return (
    textElement('ipProtocol', rule.protocol) +
    (allPorts ? '' : element('fromPort', String(rule.fromPort ?? 0))) +
    (allPorts ? '' : element('toPort', String(rule.toPort ?? rule.fromPort ?? 0))) +
    items(
      'groups',
      (rule.groupIds ?? []).map(
        (g) => textElement('userId', accountId) + textElement('groupId', g),
      ),
    ) +
    items(
      'ipRanges',
      (rule.cidrs ?? []).map((c) => textElement('cidrIp', c)),
    ) +
    items(
      'ipv6Ranges',
      (rule.ipv6Cidrs ?? []).map((c) => textElement('cidrIpv6', c)),
    ) +
    items(
      'prefixListIds',
      (rule.prefixListIds ?? []).map((p) => textElement('prefixListId', p)),
    )
  );
}

export function describeSecurityGroups(
  { account, region }: CallContext,
  params: URLSearchParams,
): string {
  const ids = listParam(params, 'GroupId');
  // Our reading, not the API reference's word: EC2 answers GroupIds with MaxResults this way, as
  // it documents for InstanceIds on DescribeInstances. eksposure never combines them.
  if (ids.length > 0 && params.has('MaxResults'))
    throw new ApiError(
      400,
      'InvalidParameterCombination',
      'The parameter groupIds cannot be used with the parameter maxResults',
    );
  for (const id of ids)
    if (!region.securityGroups.has(id))
      throw new ApiError(400, 'InvalidGroup.NotFound', `The security group '${id}' does not exist`);
  let found = [...region.securityGroups.entries()].filter(
    ([id]) => ids.length === 0 || ids.includes(id),
  );
  for (const filter of filtersOf(params)) {
    if (filter.name !== 'group-id')
      throw new ApiError(400, 'InvalidParameterValue', `The filter '${filter.name}' is invalid`);
    found = found.filter(([id]) => filter.values.includes(id));
  }
  const { items: shown, nextToken } = page(
    found,
    params,
    `DescribeSecurityGroups/${region.name}`,
    5,
    1000,
  );
  const groups = shown.map(
    ([id, g]) =>
      textElement('ownerId', account.accountId) +
      textElement('groupId', id) +
      textElement('groupName', g.name ?? id) +
      textElement('groupDescription', g.name ?? id) +
      textElement('vpcId', g.vpcId ?? 'vpc-0default') +
      items(
        'ipPermissions',
        (g.ingress ?? []).map((r) => permissionXml(r, account.accountId)),
      ) +
      items('ipPermissionsEgress', [
        textElement('ipProtocol', '-1') + items('ipRanges', [textElement('cidrIp', '0.0.0.0/0')]),
      ]),
  );
  return (
    items('securityGroupInfo', groups) + (nextToken ? textElement('nextToken', nextToken) : '')
  );
}

export function getManagedPrefixListEntries(
  { region }: CallContext,
  params: URLSearchParams,
): string {
  const id = params.get('PrefixListId');
  if (!id)
    throw new ApiError(
      400,
      'MissingParameter',
      'The request must contain the parameter PrefixListId',
    );
  const list = region.prefixLists.get(id);
  if (!list)
    throw new ApiError(
      400,
      'InvalidPrefixListID.NotFound',
      `The prefix list ID '${id}' does not exist`,
    );
  const { items: shown, nextToken } = page(
    list.cidrs,
    params,
    `GetManagedPrefixListEntries/${region.name}/${id}`,
    1,
    100,
  );
  return (
    items(
      'entrySet',
      shown.map((c) => textElement('cidr', c)),
    ) + (nextToken ? textElement('nextToken', nextToken) : '')
  );
}

export function describeManagedPrefixLists(
  { account, region }: CallContext,
  params: URLSearchParams,
): string {
  const ids = listParam(params, 'PrefixListId');
  for (const id of ids)
    if (!region.prefixLists.has(id))
      throw new ApiError(
        400,
        'InvalidPrefixListID.NotFound',
        `The prefix list ID '${id}' does not exist`,
      );
  const found = [...region.prefixLists.entries()].filter(
    ([id]) => ids.length === 0 || ids.includes(id),
  );
  const { items: shown, nextToken } = page(
    found,
    params,
    `DescribeManagedPrefixLists/${region.name}`,
    1,
    100,
  );
  return (
    items(
      'prefixListSet',
      shown.map(
        ([id, l]) =>
          textElement('prefixListId', id) +
          textElement('addressFamily', l.addressFamily ?? 'IPv4') +
          textElement('state', 'create-complete') +
          textElement(
            'prefixListArn',
            `arn:aws:ec2:${region.name}:${account.accountId}:prefix-list/${id}`,
          ) +
          textElement('prefixListName', l.name ?? id) +
          element('maxEntries', String(Math.max(l.cidrs.length, 1))) +
          element('version', '1') +
          textElement('ownerId', account.accountId),
      ),
    ) + (nextToken ? textElement('nextToken', nextToken) : '')
  );
}
