import { isIP } from 'node:net';
import { KUBELET_PORTS, KUBELET_TLS_PORT, type KubeletPort } from '../../model/node-probe.js';
import { CliError } from '../cli-error.js';

export interface KubeletTargetArgs {
  readonly kubelet?: string;
}

/**
 * Pure: the address and port of `--kubelet ADDRESS[:PORT]` (IPv4, IPv6 bare or in brackets; the
 * port 10250 unless given, and only 10250 or 10255), or a CliError. A host name is refused: a
 * node is probed at the address its security groups expose, never at what a name resolves to.
 */
export function kubeletAddressOf(value: string): { address: string; port: KubeletPort } {
  const text = value.trim();
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  const v4WithPort = /^([^:]+):(\d+)$/.exec(text);
  const [address, portText] = bracketed
    ? [bracketed[1] ?? '', bracketed[2]]
    : v4WithPort
      ? [v4WithPort[1] ?? '', v4WithPort[2]]
      : [text, undefined];
  if (isIP(address) === 0 || (bracketed && isIP(address) !== 6)) {
    throw new CliError(
      `--kubelet "${value}" is not a node address: give an IPv4 or IPv6 address, with :10250 or :10255 ([IPv6]:PORT)`,
    );
  }
  const port = portText === undefined ? KUBELET_TLS_PORT : Number(portText);
  if (!(KUBELET_PORTS as readonly number[]).includes(port)) {
    throw new CliError(
      `--kubelet port must be 10250 (the kubelet API, TLS) or 10255 (the read-only port, plain HTTP) (got ${portText})`,
    );
  }
  return { address, port: port as KubeletPort };
}
