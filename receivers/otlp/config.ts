import { bytesSchema, durationSchema } from '../../pipeline/config/units.ts';

/** A duration as written in YAML (`"5s"`, `"200ms"`) or a number of milliseconds; see pipeline/config/units.ts. */
type Duration = string | number;

export interface GrpcKeepaliveConfig {
  server_parameters?: {
    max_connection_idle?: Duration;
    max_connection_age?: Duration;
    max_connection_age_grace?: Duration;
    time?: Duration;
    timeout?: Duration;
  };
}

export interface GrpcProtocolConfig {
  endpoint: string;
  transport: 'tcp';
  max_recv_msg_size_mib: number;
  /** 0 = no limit. */
  max_concurrent_streams: number;
  /** Accepted for Collector compatibility: the tenant header always travels in RequestContext. */
  include_metadata: boolean;
  keepalive?: GrpcKeepaliveConfig | null;
}

export interface HttpProtocolConfig {
  endpoint: string;
  traces_url_path: string;
  max_request_body_size: number | string;
  /** Accepted for Collector compatibility: the tenant header always travels in RequestContext. */
  include_metadata: boolean;
  keepalives_enabled: boolean;
  /** 0 = no limit on the time to receive a whole request. */
  read_timeout: Duration;
  read_header_timeout: Duration;
  idle_timeout: Duration;
  response_headers: Record<string, string>;
}

/**
 * As in the Collector: a protocol written with an empty body (`grpc:`) is enabled with its defaults, a
 * protocol left out is disabled, and keys left out take their defaults.
 */
export interface OtlpReceiverConfig {
  protocols: {
    grpc?: Partial<GrpcProtocolConfig> | null;
    http?: Partial<HttpProtocolConfig> | null;
  };
}

const serverParametersSchema = {
  type: 'object',
  nullable: true,
  additionalProperties: false,
  properties: {
    max_connection_idle: durationSchema,
    max_connection_age: durationSchema,
    max_connection_age_grace: durationSchema,
    time: durationSchema,
    timeout: durationSchema,
  },
};

const grpcSchema = {
  type: 'object',
  nullable: true,
  additionalProperties: false,
  properties: {
    endpoint: { type: 'string', minLength: 1 },
    transport: { type: 'string', enum: ['tcp'] },
    max_recv_msg_size_mib: { type: 'number', exclusiveMinimum: 0 },
    max_concurrent_streams: { type: 'integer', minimum: 0 },
    include_metadata: { type: 'boolean' },
    keepalive: {
      type: 'object',
      nullable: true,
      additionalProperties: false,
      properties: { server_parameters: serverParametersSchema },
    },
  },
};

const httpSchema = {
  type: 'object',
  nullable: true,
  additionalProperties: false,
  properties: {
    endpoint: { type: 'string', minLength: 1 },
    traces_url_path: { type: 'string', pattern: '^/' },
    max_request_body_size: bytesSchema,
    include_metadata: { type: 'boolean' },
    keepalives_enabled: { type: 'boolean' },
    read_timeout: durationSchema,
    read_header_timeout: durationSchema,
    idle_timeout: durationSchema,
    response_headers: { type: 'object', additionalProperties: { type: 'string' } },
  },
};

export const otlpReceiverConfigSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['protocols'],
  properties: {
    protocols: {
      type: 'object',
      additionalProperties: false,
      properties: { grpc: grpcSchema, http: httpSchema },
    },
  },
};

export function createDefaultOtlpReceiverConfig(): OtlpReceiverConfig {
  return {
    protocols: {
      grpc: {
        endpoint: '0.0.0.0:4317',
        transport: 'tcp',
        max_recv_msg_size_mib: 4,
        max_concurrent_streams: 0,
        include_metadata: false,
      },
      http: {
        endpoint: '0.0.0.0:4318',
        traces_url_path: '/v1/traces',
        max_request_body_size: 20 * 1024 * 1024,
        include_metadata: false,
        keepalives_enabled: true,
        read_timeout: 0,
        read_header_timeout: '1m',
        idle_timeout: '1m',
        response_headers: {},
      },
    },
  };
}
