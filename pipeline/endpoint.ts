import { ConfigError } from './errors.ts';

export interface Endpoint {
  /** Empty means every interface, as `:4318` does in Go. */
  readonly host: string;
  readonly port: number;
}

/** Parses `host:port`, `[v6]:port` or `:port`; throws a message naming the problem. */
export function parseEndpoint(endpoint: string): Endpoint {
  const colon = endpoint.lastIndexOf(':');
  if (colon < 0) throw new ConfigError(`endpoint "${endpoint}" has no port`);
  const portText = endpoint.slice(colon + 1);
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) throw new ConfigError(`endpoint "${endpoint}" has an invalid port`);
  let host = endpoint.slice(0, colon);
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  else if (host.includes(':')) throw new ConfigError(`endpoint "${endpoint}": write IPv6 hosts in brackets`);
  return { host, port };
}

/** `host:port` again, brackets restored for IPv6; what logs and tests show. */
export function formatEndpoint(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
