import { parseBytes, parseDuration } from '../../pipeline/config/units.ts';
import {
  createDefaultOtlpReceiverConfig, type GrpcProtocolConfig, type HttpProtocolConfig, type OtlpReceiverConfig,
} from './config.ts';
import { parseEndpoint, type Endpoint } from '../../pipeline/endpoint.ts';

/** The gRPC protocol's config with defaults applied and units parsed. */
export interface GrpcSettings {
  readonly endpoint: Endpoint;
  readonly maxRecvBytes: number;
  readonly maxConcurrentStreams: number;
  /** grpc-js channel options for the keepalive keys that were set. */
  readonly keepaliveOptions: Readonly<Record<string, number>>;
}

export interface HttpSettings {
  readonly endpoint: Endpoint;
  readonly tracesPath: string;
  readonly maxBodyBytes: number;
  readonly keepAlive: boolean;
  readonly requestTimeoutMs: number;
  readonly headersTimeoutMs: number;
  readonly idleTimeoutMs: number;
  readonly responseHeaders: Readonly<Record<string, string>>;
}

export interface OtlpReceiverSettings {
  readonly grpc?: GrpcSettings;
  readonly http?: HttpSettings;
}

const KEEPALIVE_OPTIONS = {
  max_connection_idle: 'grpc.max_connection_idle_ms',
  max_connection_age: 'grpc.max_connection_age_ms',
  max_connection_age_grace: 'grpc.max_connection_age_grace_ms',
  time: 'grpc.keepalive_time_ms',
  timeout: 'grpc.keepalive_timeout_ms',
} as const;

/**
 * Applies the defaults key by key, so the result is the same whether or not the config loader already
 * merged the user's keys over createDefaultConfig(). A protocol left out stays disabled.
 */
export function resolveOtlpReceiverSettings(config: OtlpReceiverConfig): OtlpReceiverSettings {
  const defaults = createDefaultOtlpReceiverConfig().protocols;
  const { grpc, http } = config.protocols;
  return {
    grpc: grpc === undefined ? undefined : resolveGrpc({ ...defaults.grpc, ...grpc } as GrpcProtocolConfig),
    http: http === undefined ? undefined : resolveHttp({ ...defaults.http, ...http } as HttpProtocolConfig),
  };
}

function resolveGrpc(c: GrpcProtocolConfig): GrpcSettings {
  const keepaliveOptions: Record<string, number> = {};
  const parameters = c.keepalive?.server_parameters ?? {};
  for (const [key, option] of Object.entries(KEEPALIVE_OPTIONS)) {
    const value = parameters[key as keyof typeof KEEPALIVE_OPTIONS];
    if (value !== undefined) keepaliveOptions[option] = Math.round(parseDuration(value));
  }
  return {
    endpoint: parseEndpoint(c.endpoint),
    maxRecvBytes: Math.floor(c.max_recv_msg_size_mib * 1024 * 1024),
    maxConcurrentStreams: c.max_concurrent_streams,
    keepaliveOptions,
  };
}

function resolveHttp(c: HttpProtocolConfig): HttpSettings {
  return {
    endpoint: parseEndpoint(c.endpoint),
    tracesPath: c.traces_url_path,
    maxBodyBytes: parseBytes(c.max_request_body_size),
    keepAlive: c.keepalives_enabled,
    requestTimeoutMs: parseDuration(c.read_timeout),
    headersTimeoutMs: parseDuration(c.read_header_timeout),
    idleTimeoutMs: parseDuration(c.idle_timeout),
    responseHeaders: c.response_headers,
  };
}
