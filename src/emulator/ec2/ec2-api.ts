import { ApiError } from '../errors.js';
import type {
  CallContext,
  IncomingCall,
  RoutedCall,
  ServiceApi,
  WireResponse,
} from '../service-api.js';
import { isRegionEnabled } from '../state.js';
import { element, escapeXml } from '../xml.js';
import {
  describeInstances,
  describeManagedPrefixLists,
  describeSecurityGroups,
  getManagedPrefixListEntries,
} from './nodes-api.js';

const NAMESPACE = 'http://ec2.amazonaws.com/doc/2016-11-15/';
const VPC_ATTRIBUTES = [
  'enableDnsSupport',
  'enableDnsHostnames',
  'enableNetworkAddressUsageMetrics',
] as const;

/** EC2 query lists: Prefix.1, Prefix.2, ... */
function listParam(params: URLSearchParams, prefix: string): string[] {
  const values: string[] = [];
  for (let i = 1; params.has(`${prefix}.${i}`); i++)
    values.push(params.get(`${prefix}.${i}`) ?? '');
  return values;
}

function required(params: URLSearchParams, name: string): string {
  const value = params.get(name);
  if (!value)
    throw new ApiError(400, 'MissingParameter', `The request must contain the parameter ${name}`);
  return value;
}

function describeRegions({ account }: CallContext, params: URLSearchParams): string {
  const allRegions = params.get('AllRegions') === 'true';
  const names = listParam(params, 'RegionName');
  for (const name of names) {
    if (!account.regions.has(name))
      throw new ApiError(400, 'InvalidParameterValue', `Invalid region: ${name}`);
  }
  let regions = [...account.regions.values()].filter(
    (r) => allRegions || names.length > 0 || isRegionEnabled(r),
  );
  if (names.length > 0) regions = regions.filter((r) => names.includes(r.name));
  for (let i = 1; params.has(`Filter.${i}.Name`); i++) {
    const filter = params.get(`Filter.${i}.Name`);
    const values = listParam(params, `Filter.${i}.Value`);
    const field: Record<string, (r: (typeof regions)[number]) => string> = {
      'opt-in-status': (r) => r.optInStatus,
      'region-name': (r) => r.name,
      endpoint: (r) => `ec2.${r.name}.amazonaws.com`,
    };
    const pick = filter ? field[filter] : undefined;
    if (!pick)
      throw new ApiError(400, 'InvalidParameterValue', `The filter '${filter}' is invalid`);
    regions = regions.filter((r) => values.includes(pick(r)));
  }
  const items = regions
    .map((r) =>
      element(
        'item',
        element('regionName', r.name) +
          element('regionEndpoint', `ec2.${r.name}.amazonaws.com`) +
          element('optInStatus', r.optInStatus),
      ),
    )
    .join('');
  return element('regionInfo', items);
}

function describeVpcAttribute({ region }: CallContext, params: URLSearchParams): string {
  const vpcId = required(params, 'VpcId');
  const attribute = required(params, 'Attribute');
  if (!(VPC_ATTRIBUTES as readonly string[]).includes(attribute)) {
    throw new ApiError(
      400,
      'InvalidParameterValue',
      `Value (${attribute}) for parameter attribute is invalid. Unknown attribute.`,
    );
  }
  const vpc = region.vpcs.get(vpcId);
  if (!vpc)
    throw new ApiError(400, 'InvalidVpcID.NotFound', `The vpc ID '${vpcId}' does not exist`);
  const value =
    attribute === 'enableDnsSupport'
      ? vpc.enableDnsSupport
      : attribute === 'enableDnsHostnames'
        ? vpc.enableDnsHostnames
        : false;
  return element('vpcId', escapeXml(vpcId)) + element(attribute, element('value', String(value)));
}

const OPERATIONS: Record<
  string,
  { resource: (p: URLSearchParams) => string; run: (c: CallContext, p: URLSearchParams) => string }
> = {
  DescribeRegions: { resource: () => '*', run: describeRegions },
  DescribeVpcAttribute: { resource: (p) => p.get('VpcId') ?? '*', run: describeVpcAttribute },
  DescribeInstances: { resource: () => '*', run: describeInstances },
  DescribeSecurityGroups: { resource: () => '*', run: describeSecurityGroups },
  GetManagedPrefixListEntries: {
    resource: (p) => p.get('PrefixListId') ?? '*',
    run: getManagedPrefixListEntries,
  },
  DescribeManagedPrefixLists: { resource: () => '*', run: describeManagedPrefixLists },
};

export const ec2Api: ServiceApi = {
  service: 'ec2',
  regional: true,
  route(call: IncomingCall): RoutedCall | ApiError {
    const params = new URLSearchParams(call.method === 'POST' ? call.body : call.query);
    const action = params.get('Action') ?? '';
    const operation = OPERATIONS[action];
    if (!operation)
      return new ApiError(
        400,
        'InvalidAction',
        `The action ${escapeXml(action)} is not valid for this web service.`,
      );
    return {
      operation: action,
      resource: operation.resource(params),
      invoke: (context) => operation.run(context, params),
    };
  },
  success(call, payload, requestId): WireResponse {
    const name = `${call.operation}Response`;
    return {
      status: 200,
      headers: { 'content-type': 'text/xml;charset=UTF-8' },
      body: `<?xml version="1.0" encoding="UTF-8"?>\n<${name} xmlns="${NAMESPACE}">${element('requestId', requestId)}${String(payload)}</${name}>`,
    };
  },
  failure(error, requestId): WireResponse {
    const errorXml = element(
      'Error',
      element('Code', escapeXml(error.code)) + element('Message', escapeXml(error.message)),
    );
    return {
      status: error.status,
      headers: { 'content-type': 'text/xml;charset=UTF-8' },
      body: `<?xml version="1.0" encoding="UTF-8"?>\n<Response>${element('Errors', errorXml)}${element('RequestID', requestId)}</Response>`,
    };
  },
};
