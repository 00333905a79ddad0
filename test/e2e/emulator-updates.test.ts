import {
  DescribeClusterCommand,
  DescribeUpdateCommand,
  EKSClient,
  ListUpdatesCommand,
  UpdateClusterConfigCommand,
  type UpdateClusterConfigCommandInput,
  type VpcConfigRequest,
} from '@aws-sdk/client-eks';
import type { Fixture } from '../../src/emulator/fixture.js';
import { type RunningEmulator, startEmulator } from '../../src/emulator/server.js';
import { emulatorClientConfig, failure, rejection } from '../support/sdk.js';

const REGION = 'us-east-1';
/** The option's duration, which overrides the fixture's 5000. */
const DURATION_MS = 10_000;

const fixture: Fixture = {
  updateDurationMs: 5_000,
  regions: {
    [REGION]: {
      clusters: [
        { name: 'go-private' },
        { name: 'allowlist', endpointPrivateAccess: true },
        { name: 'at-rest', endpointPrivateAccess: true },
        {
          name: 'two-blocks',
          endpointPrivateAccess: true,
          publicAccessCidrs: ['10.0.0.0/8', '192.168.0.0/16'],
        },
        { name: 'strict' },
        { name: 'busy' },
        { name: 'creating', status: 'CREATING' },
        { name: 'tokened' },
        { name: 'doomed' },
        { name: 'called-off' },
        { name: 'bystander' },
        { name: 'paged' },
      ],
    },
  },
};

let now = new Date('2026-03-01T12:00:00.000Z');
const advance = (ms: number) => {
  now = new Date(now.getTime() + ms);
};

let emulator: RunningEmulator;
let client: EKSClient;

beforeAll(async () => {
  emulator = await startEmulator({ fixture, clock: () => now, updateDurationMs: DURATION_MS });
  client = new EKSClient(emulatorClientConfig(emulator.url, REGION));
});

afterAll(async () => {
  client.destroy();
  await emulator.close();
});

afterEach(() => emulator.faults.replace([]));

type ConfigInput = Omit<UpdateClusterConfigCommandInput, 'name'>;

const updateConfig = (name: string, input: ConfigInput) =>
  client.send(new UpdateClusterConfigCommand({ name, ...input }));
const updateEndpoint = (name: string, resourcesVpcConfig: VpcConfigRequest) =>
  updateConfig(name, { resourcesVpcConfig });
const describeCluster = async (name: string) =>
  (await client.send(new DescribeClusterCommand({ name }))).cluster;
const describeUpdate = async (name: string, updateId: string | undefined) =>
  (await client.send(new DescribeUpdateCommand({ name, updateId }))).update;
const endpointOf = async (name: string) => {
  const cluster = await describeCluster(name);
  const { endpointPublicAccess, endpointPrivateAccess, publicAccessCidrs } =
    cluster?.resourcesVpcConfig ?? {};
  return {
    status: cluster?.status,
    endpointPublicAccess,
    endpointPrivateAccess,
    publicAccessCidrs,
  };
};

describe('UpdateClusterConfig: an endpoint access update', () => {
  it('runs InProgress for the duration, then applies the new config and the cluster is ACTIVE', async () => {
    const started = now;
    const { update } = await updateEndpoint('go-private', { endpointPrivateAccess: true });
    expect(update).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      status: 'InProgress',
      type: 'EndpointAccessUpdate',
      params: [{ type: 'EndpointPrivateAccess', value: 'true' }],
      createdAt: started,
      errors: [],
    });

    expect(await endpointOf('go-private')).toEqual({
      status: 'UPDATING',
      endpointPublicAccess: true,
      endpointPrivateAccess: false,
      publicAccessCidrs: ['0.0.0.0/0'],
    });

    advance(DURATION_MS - 1);
    expect((await describeUpdate('go-private', update?.id))?.status).toBe('InProgress');

    advance(1);
    expect(await describeUpdate('go-private', update?.id)).toMatchObject({
      id: update?.id,
      status: 'Successful',
      errors: [],
    });
    expect(await endpointOf('go-private')).toEqual({
      status: 'ACTIVE',
      endpointPublicAccess: true,
      endpointPrivateAccess: true,
      publicAccessCidrs: ['0.0.0.0/0'],
    });
  });

  it('restricts the public endpoint to an allowlist; a later update without CIDRs keeps it', async () => {
    const { update } = await updateEndpoint('allowlist', {
      endpointPublicAccess: true,
      publicAccessCidrs: ['10.0.0.20/32', '203.0.113.0/24'],
    });
    expect(update?.params).toEqual([
      { type: 'EndpointPublicAccess', value: 'true' },
      { type: 'PublicAccessCidrs', value: '["10.0.0.20/32","203.0.113.0/24"]' },
    ]);
    advance(DURATION_MS);
    expect((await endpointOf('allowlist')).publicAccessCidrs).toEqual([
      '10.0.0.20/32',
      '203.0.113.0/24',
    ]);

    const { update: second } = await updateEndpoint('allowlist', { endpointPublicAccess: false });
    expect(second?.params).toEqual([{ type: 'EndpointPublicAccess', value: 'false' }]);
    advance(DURATION_MS);
    expect(await endpointOf('allowlist')).toEqual({
      status: 'ACTIVE',
      endpointPublicAccess: false,
      endpointPrivateAccess: true,
      publicAccessCidrs: ['10.0.0.20/32', '203.0.113.0/24'],
    });
  });
});

describe('UpdateClusterConfig: requests EKS refuses', () => {
  const invalid = (message: string) => ({
    name: 'InvalidParameterException',
    status: 400,
    message,
  });

  it('refuses a change to the configuration the cluster already has, in AWS words', async () => {
    const error = await rejection(updateEndpoint('at-rest', { endpointPublicAccess: true }));
    expect(error.name).toBe('InvalidParameterException');
    expect(error.$metadata?.httpStatusCode).toBe(400);
    expect(error.message).toBe(
      'Cluster is already at the desired configuration with endpointPrivateAccess: true , ' +
        'endpointPublicAccess: true, and Public Endpoint Restrictions: [0.0.0.0/0]',
    );
    expect(error.clusterName).toBe('at-rest');
  });

  it('compares publicAccessCidrs as a set', async () => {
    const error = await failure(
      updateEndpoint('two-blocks', { publicAccessCidrs: ['192.168.0.0/16', '10.0.0.0/8'] }),
    );
    expect(error).toEqual(
      invalid(
        'Cluster is already at the desired configuration with endpointPrivateAccess: true , ' +
          'endpointPublicAccess: true, and Public Endpoint Restrictions: [10.0.0.0/8, 192.168.0.0/16]',
      ),
    );
  });

  it('refuses to turn off both endpoints', async () => {
    expect(await failure(updateEndpoint('strict', { endpointPublicAccess: false }))).toEqual(
      invalid('Both private and public endpoint access cannot be false'),
    );
  });

  it('lists the CIDRs that are not valid, host bits set included', async () => {
    const publicAccessCidrs = ['10.0.0.0/8', 'banana', '10.0.0.1/24', '300.1.1.1/32'];
    expect(await failure(updateEndpoint('strict', { publicAccessCidrs }))).toEqual(
      invalid(
        'The following CIDRs are invalid in publicAccessCidrs: [banana,10.0.0.1/24,300.1.1.1/32]',
      ),
    );
  });

  it('allows 40 CIDR blocks at most', async () => {
    const publicAccessCidrs = Array.from({ length: 41 }, (_, i) => `10.${i}.0.0/16`);
    expect(await failure(updateEndpoint('strict', { publicAccessCidrs }))).toEqual(
      invalid('publicAccessCidrs can contain at most 40 CIDR blocks.'),
    );
  });

  it('takes one type of update per call', async () => {
    const error = await failure(
      updateConfig('strict', {
        resourcesVpcConfig: { endpointPrivateAccess: true },
        logging: { clusterLogging: [{ types: ['audit'], enabled: true }] },
      }),
    );
    expect(error).toEqual(invalid('Only one type of update can be allowed.'));
  });

  it('wants some change', async () => {
    expect(await failure(updateConfig('strict', {}))).toEqual(
      invalid('No changes were specified in the request.'),
    );
  });

  it.each<[string, ConfigInput]>([
    ['a logging update', { logging: { clusterLogging: [{ types: ['audit'], enabled: true }] } }],
    ['a deletion protection update', { deletionProtection: true }],
    ['new subnets', { resourcesVpcConfig: { subnetIds: ['subnet-1'] } }],
  ])('says it does not emulate %s', async (_what, input) => {
    const error = await failure(updateConfig('strict', input));
    expect(error).toMatchObject({ name: 'InvalidParameterException', status: 400 });
    expect(error.message).toMatch(/emulator only emulates endpoint access updates/);
  });

  it('answers a cluster not in the region with ResourceNotFoundException 404', async () => {
    const error = await rejection(updateEndpoint('nope', { endpointPrivateAccess: true }));
    expect(error).toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'No cluster found for name: nope.',
      clusterName: 'nope',
    });
    expect(error.$metadata?.httpStatusCode).toBe(404);
  });

  it('answers a body that is not a JSON object with InvalidParameterException 400', async () => {
    const response = await fetch(`${emulator.url}/clusters/strict/update-config`, {
      method: 'POST',
      headers: {
        authorization: `AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20260301/${REGION}/eks/aws4_request, SignedHeaders=host, Signature=0`,
        'content-type': 'application/json',
      },
      body: '[1, 2]',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toMatch(/^InvalidParameterException:/);
    expect(await response.json()).toEqual({ message: 'The request body must be a JSON object.' });
  });
});

describe('UpdateClusterConfig on a cluster that cannot take an update', () => {
  it('answers ResourceInUseException 409 while another update is in progress', async () => {
    const { update } = await updateEndpoint('busy', { endpointPrivateAccess: true });
    const error = await rejection(updateEndpoint('busy', { endpointPublicAccess: false }));
    expect(error.name).toBe('ResourceInUseException');
    expect(error.$metadata?.httpStatusCode).toBe(409);
    expect(error.message).toBe(
      `Cannot EndpointAccessUpdate because cluster busy currently has update ${update?.id} in progress`,
    );
    expect(error.clusterName).toBe('busy');

    advance(DURATION_MS);
    const { update: next } = await updateEndpoint('busy', { endpointPublicAccess: false });
    expect(next?.status).toBe('InProgress');
  });

  it('answers ResourceInUseException 409 for a cluster that is not ACTIVE', async () => {
    const error = await rejection(updateEndpoint('creating', { endpointPrivateAccess: true }));
    expect(error).toMatchObject({
      name: 'ResourceInUseException',
      message:
        'Cannot EndpointAccessUpdate because cluster creating is currently in CREATING state',
      clusterName: 'creating',
    });
    expect(error.$metadata?.httpStatusCode).toBe(409);
  });
});

describe('clientRequestToken', () => {
  it('answers a retry with the same token with the original update, and starts no other', async () => {
    const request = {
      resourcesVpcConfig: { endpointPrivateAccess: true },
      clientRequestToken: 'retry-me',
    };
    const first = await updateConfig('tokened', request);
    const again = await updateConfig('tokened', request);
    expect(again.update?.id).toBe(first.update?.id);
    expect(again.update?.status).toBe('InProgress');
    const { updateIds } = await client.send(new ListUpdatesCommand({ name: 'tokened' }));
    expect(updateIds).toEqual([first.update?.id]);

    advance(DURATION_MS);
    const late = await updateConfig('tokened', request);
    expect(late.update).toMatchObject({ id: first.update?.id, status: 'Successful' });
  });

  it('refuses the same token for a different request', async () => {
    const error = await failure(
      updateConfig('tokened', {
        resourcesVpcConfig: { endpointPublicAccess: false },
        clientRequestToken: 'retry-me',
      }),
    );
    expect(error).toEqual({
      name: 'InvalidParameterException',
      status: 400,
      message: 'The clientRequestToken retry-me was already used for a different request.',
    });
  });
});

describe('injected update outcomes', () => {
  it.each([
    [
      'Failed',
      'doomed',
      [
        {
          errorCode: 'Unknown',
          errorMessage: expect.any(String),
          resourceIds: ['doomed'],
        },
      ],
    ],
    ['Cancelled', 'called-off', []],
  ] as const)(
    'ends %s for the cluster the rule names, config unchanged, cluster ACTIVE again',
    async (outcome, name, errors) => {
      emulator.faults.replace([{ cluster: name, updateOutcome: outcome }]);
      const before = await endpointOf(name);
      const { update } = await updateEndpoint(name, { endpointPrivateAccess: true });
      const { update: other } = await updateEndpoint('bystander', {
        endpointPrivateAccess: outcome === 'Failed',
      });
      expect(update?.status).toBe('InProgress');

      advance(DURATION_MS);
      expect(await describeUpdate(name, update?.id)).toMatchObject({ status: outcome, errors });
      expect(await endpointOf(name)).toEqual(before);
      expect((await describeUpdate('bystander', other?.id))?.status).toBe('Successful');
    },
  );

  it('takes the error code and message and the duration from the rule', async () => {
    emulator.faults.replace([
      {
        cluster: 'doomed',
        updateOutcome: 'Failed',
        updateDurationMs: 60_000,
        updateErrorCode: 'SubnetNotFound',
        updateErrorMessage: 'gone',
      },
    ]);
    const { update } = await updateEndpoint('doomed', { endpointPrivateAccess: true });
    advance(DURATION_MS);
    expect((await describeUpdate('doomed', update?.id))?.status).toBe('InProgress');
    advance(60_000 - DURATION_MS);
    expect((await describeUpdate('doomed', update?.id))?.errors).toEqual([
      { errorCode: 'SubnetNotFound', errorMessage: 'gone', resourceIds: ['doomed'] },
    ]);
  });

  it('applies the usual fault rules to the update operations', async () => {
    emulator.faults.replace([{ operation: 'UpdateClusterConfig', fail: 'access-denied' }]);
    const error = await failure(updateEndpoint('strict', { endpointPrivateAccess: true }));
    expect(error).toMatchObject({ name: 'AccessDeniedException', status: 403 });
    expect(error.message).toContain('eks:UpdateClusterConfig on resource: arn:aws:eks:');
    expect(emulator.state.regions.get(REGION)?.updates.get('strict')).toBeUndefined();
  });
});

describe('ListUpdates and DescribeUpdate', () => {
  it('pages through the updates in creation order with maxResults 1', async () => {
    const ids: (string | undefined)[] = [];
    for (const endpointPrivateAccess of [true, false, true]) {
      ids.push((await updateEndpoint('paged', { endpointPrivateAccess })).update?.id);
      advance(DURATION_MS);
    }
    const seen: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await client.send(
        new ListUpdatesCommand({ name: 'paged', maxResults: 1, nextToken }),
      );
      expect(page.updateIds).toHaveLength(1);
      seen.push(...(page.updateIds ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    expect(seen).toEqual(ids);
  });

  it('rejects a nextToken issued for another cluster', async () => {
    const first = await client.send(new ListUpdatesCommand({ name: 'paged', maxResults: 1 }));
    const error = await failure(
      client.send(new ListUpdatesCommand({ name: 'tokened', nextToken: first.nextToken })),
    );
    expect(error).toMatchObject({ name: 'InvalidParameterException', status: 400 });
  });

  it.each([0, 101])('rejects maxResults %i', async (maxResults) => {
    const error = await failure(client.send(new ListUpdatesCommand({ name: 'paged', maxResults })));
    expect(error).toMatchObject({ name: 'InvalidParameterException', status: 400 });
  });

  it('answers an unknown update id with ResourceNotFoundException 404', async () => {
    const error = await rejection(describeUpdate('paged', 'no-such-update'));
    expect(error).toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'No update found for ID: no-such-update',
      clusterName: 'paged',
    });
    expect(error.$metadata?.httpStatusCode).toBe(404);
  });

  it('answers ListUpdates for an unknown cluster with ResourceNotFoundException 404', async () => {
    expect(await failure(client.send(new ListUpdatesCommand({ name: 'nope' })))).toEqual({
      name: 'ResourceNotFoundException',
      status: 404,
      message: 'No cluster found for name: nope.',
    });
  });
});
