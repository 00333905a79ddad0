import { ApiError } from '../../../src/emulator/errors.js';
import {
  endpointAccessChangeOf,
  parseUpdateConfigRequest,
} from '../../../src/emulator/eks/update-config-request.js';

const parse = (body: unknown) => parseUpdateConfigRequest(JSON.stringify(body));

describe('UpdateClusterConfig requests', () => {
  it('reads the endpoint access change and the token', () => {
    const request = parse({
      clientRequestToken: 't-1',
      resourcesVpcConfig: { endpointPrivateAccess: true, publicAccessCidrs: ['10.0.0.0/8'] },
    });
    expect(request.clientRequestToken).toBe('t-1');
    expect(request.updateTypes).toEqual(['EndpointAccessUpdate']);
    expect(endpointAccessChangeOf(request)).toEqual({
      endpointPrivateAccess: true,
      publicAccessCidrs: ['10.0.0.0/8'],
    });
  });

  it('fingerprints the request without its token and regardless of member order', () => {
    const a = parse({ clientRequestToken: 'a', resourcesVpcConfig: { x: 1, y: [2, 3] } });
    const b = parse({ resourcesVpcConfig: { y: [2, 3], x: 1 }, clientRequestToken: 'b' });
    const c = parse({ resourcesVpcConfig: { y: [3, 2], x: 1 } });
    expect(a.requestFingerprint).toBe(b.requestFingerprint);
    expect(c.requestFingerprint).not.toBe(a.requestFingerprint);
  });

  it('names one update type for the three Auto Mode members together', () => {
    const request = parse({
      computeConfig: { enabled: true },
      kubernetesNetworkConfig: {},
      storageConfig: {},
      logging: null,
    });
    expect(request.updateTypes).toEqual(['AutoModeUpdate']);
  });

  it.each([
    ['[]', 'The request body must be a JSON object.'],
    ['{"resourcesVpcConfig": []}', 'resourcesVpcConfig must be an object.'],
    [
      '{"resourcesVpcConfig": {"endpointPublicAccess": "yes"}}',
      'resourcesVpcConfig.endpointPublicAccess must be a boolean.',
    ],
    [
      '{"resourcesVpcConfig": {"publicAccessCidrs": [1]}}',
      'resourcesVpcConfig.publicAccessCidrs must be a list of strings.',
    ],
  ])('refuses %s with InvalidParameterException', (body, message) => {
    expect(() => parseUpdateConfigRequest(body)).toThrow(
      new ApiError(400, 'InvalidParameterException', message),
    );
  });

  it('treats an empty body as a request with no changes', () => {
    expect(() => endpointAccessChangeOf(parseUpdateConfigRequest(''))).toThrow(
      'No changes were specified in the request.',
    );
  });
});
