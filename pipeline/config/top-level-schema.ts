import { deepFreeze } from './deep-freeze.ts';

/** Component bodies are checked later against each factory's own schema; here only their shape. */
const section = { type: ['object', 'null'], additionalProperties: { type: ['object', 'null'] } };
const idList = { type: ['array', 'null'], items: { type: 'string' } };
const level = (levels: string[]) => ({ type: 'string', enum: levels });

/** host:port, [v6]:port or :port. */
const HOST_PORT = '^(\\[[^\\]]*\\]|[^:\\[\\]]*):[0-9]{1,5}$';

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export const METRICS_LEVELS = ['none', 'basic', 'normal', 'detailed'] as const;

/** The Collector's top level, for the parts Tracelake has. */
export const topLevelSchema = deepFreeze({
  type: 'object',
  additionalProperties: false,
  required: ['service'],
  properties: {
    receivers: section,
    processors: section,
    exporters: section,
    extensions: section,
    connectors: section,
    service: {
      type: 'object',
      additionalProperties: false,
      required: ['pipelines'],
      properties: {
        extensions: idList,
        pipelines: {
          type: 'object',
          additionalProperties: {
            type: ['object', 'null'],
            additionalProperties: false,
            properties: { receivers: idList, processors: idList, exporters: idList },
          },
        },
        telemetry: {
          type: ['object', 'null'],
          additionalProperties: false,
          properties: {
            logs: { type: ['object', 'null'], additionalProperties: false, properties: { level: level([...LOG_LEVELS]) } },
            metrics: {
              type: ['object', 'null'],
              additionalProperties: false,
              properties: { level: level([...METRICS_LEVELS]), address: { type: 'string', pattern: HOST_PORT, description: 'host:port' } },
            },
          },
        },
      },
    },
  },
});
