import { isJsonObject as isObject } from '../validation.js';
import { ApiError } from '../errors.js';
import type { EndpointAccessChange } from './update-record.js';

/** The update type EKS names for each UpdateClusterConfig member. */
const UPDATE_TYPE_OF_MEMBER: Readonly<Record<string, string>> = {
  resourcesVpcConfig: 'EndpointAccessUpdate',
  logging: 'LoggingUpdate',
  accessConfig: 'AccessConfigUpdate',
  upgradePolicy: 'UpgradePolicyUpdate',
  zonalShiftConfig: 'ZonalShiftConfigUpdate',
  computeConfig: 'AutoModeUpdate',
  kubernetesNetworkConfig: 'AutoModeUpdate',
  storageConfig: 'AutoModeUpdate',
  remoteNetworkConfig: 'RemoteNetworkConfigUpdate',
  deletionProtection: 'DeletionProtectionUpdate',
  controlPlaneScalingConfig: 'ControlPlaneScalingConfigUpdate',
  kubeApiServerConfig: 'ControlPlaneComponentConfigUpdate',
  kubeSchedulerConfig: 'ControlPlaneComponentConfigUpdate',
  kubeControllerManagerConfig: 'ControlPlaneComponentConfigUpdate',
};

const ENDPOINT_ACCESS_MEMBERS = [
  'endpointPublicAccess',
  'endpointPrivateAccess',
  'publicAccessCidrs',
];

export interface UpdateConfigRequest {
  readonly clientRequestToken: string | undefined;
  /** Canonical JSON of the request without its token. */
  readonly requestFingerprint: string;
  /** The update types the request asks for, each once. */
  readonly updateTypes: readonly string[];
  /** resourcesVpcConfig members the emulator does not emulate, e.g. subnetIds. */
  readonly otherVpcMembers: readonly string[];
  readonly endpointAccess: EndpointAccessChange;
}

type Json = unknown;
const isPresent = (v: Json) => v !== undefined && v !== null;

const invalidParameter = (message: string) =>
  new ApiError(400, 'InvalidParameterException', message);

function canonicalJson(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isObject(value)) {
    const members = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value);
}

function parseBody(body: string): Record<string, Json> {
  if (body.trim() === '') return {};
  let json: Json;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  if (!isObject(json)) throw invalidParameter('The request body must be a JSON object.');
  return json;
}

function endpointAccessOf(vpcConfig: Record<string, Json>): EndpointAccessChange {
  const { endpointPublicAccess, endpointPrivateAccess, publicAccessCidrs } = vpcConfig;
  for (const [member, value] of Object.entries({ endpointPublicAccess, endpointPrivateAccess })) {
    if (isPresent(value) && typeof value !== 'boolean')
      throw invalidParameter(`resourcesVpcConfig.${member} must be a boolean.`);
  }
  if (
    isPresent(publicAccessCidrs) &&
    !(Array.isArray(publicAccessCidrs) && publicAccessCidrs.every((c) => typeof c === 'string'))
  )
    throw invalidParameter('resourcesVpcConfig.publicAccessCidrs must be a list of strings.');
  return {
    ...(isPresent(endpointPublicAccess)
      ? { endpointPublicAccess: endpointPublicAccess as boolean }
      : {}),
    ...(isPresent(endpointPrivateAccess)
      ? { endpointPrivateAccess: endpointPrivateAccess as boolean }
      : {}),
    ...(isPresent(publicAccessCidrs) ? { publicAccessCidrs: publicAccessCidrs } : {}),
  };
}

/** Reads an UpdateClusterConfig body (the SDK's member names); checks only the members' types. */
export function parseUpdateConfigRequest(body: string): UpdateConfigRequest {
  const { clientRequestToken, ...request } = parseBody(body);
  if (isPresent(clientRequestToken) && typeof clientRequestToken !== 'string')
    throw invalidParameter('clientRequestToken must be a string.');
  const vpcConfig = request.resourcesVpcConfig;
  if (isPresent(vpcConfig) && !isObject(vpcConfig))
    throw invalidParameter('resourcesVpcConfig must be an object.');
  const members = Object.keys(request).filter((member) => isPresent(request[member]));
  return {
    clientRequestToken: isPresent(clientRequestToken) ? clientRequestToken : undefined,
    requestFingerprint: canonicalJson(request),
    updateTypes: [...new Set(members.flatMap((member) => UPDATE_TYPE_OF_MEMBER[member] ?? []))],
    otherVpcMembers: isObject(vpcConfig)
      ? Object.keys(vpcConfig).filter(
          (member) => isPresent(vpcConfig[member]) && !ENDPOINT_ACCESS_MEMBERS.includes(member),
        )
      : [],
    endpointAccess: isObject(vpcConfig) ? endpointAccessOf(vpcConfig) : {},
  };
}

/** The endpoint access change a request asks for, if that is all it asks for; AWS's wording. */
export function endpointAccessChangeOf(request: UpdateConfigRequest): EndpointAccessChange {
  const [type, ...more] = request.updateTypes;
  if (more.length > 0) throw invalidParameter('Only one type of update can be allowed.');
  if (type === undefined) throw invalidParameter('No changes were specified in the request.');
  const unemulated =
    type === 'EndpointAccessUpdate'
      ? request.otherVpcMembers.map((member) => `resourcesVpcConfig.${member}`)[0]
      : type;
  if (unemulated !== undefined) {
    throw invalidParameter(
      'The eksposure emulator only emulates endpoint access updates (resourcesVpcConfig ' +
        `endpointPublicAccess, endpointPrivateAccess and publicAccessCidrs), not ${unemulated}.`,
    );
  }
  return request.endpointAccess;
}
