import { parseArgs } from 'node:util';
import type { RequestShape } from './load-request.ts';

export interface LoadOptions {
  readonly seconds: number;
  readonly connections: number;
  readonly shape: RequestShape;
  readonly samples: number;
  /** Spans per second offered in all; undefined = as fast as acknowledged. */
  readonly rate?: number;
  readonly keep: boolean;
  /** ingest.bench.ts: a Grafana-style search every this many ms while the load runs (undefined = none). */
  readonly searchEveryMs?: number;
}

/** The command line every OTLP load bench shares, with that bench's defaults for the counts. */
export function parseLoadOptions(defaults: { connections: number; samples: number }): LoadOptions {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '20' },
      connections: { type: 'string', default: String(defaults.connections) },
      'spans-per-request': { type: 'string', default: '500' },
      'spans-per-trace': { type: 'string', default: '10' },
      'span-bytes': { type: 'string', default: '500' },
      samples: { type: 'string', default: String(defaults.samples) },
      rate: { type: 'string' },
      keep: { type: 'boolean', default: false },
      'search-every': { type: 'string' },
    },
  });
  return {
    seconds: Number(values.seconds),
    connections: Number(values.connections),
    shape: {
      spans: Number(values['spans-per-request']),
      spansPerTrace: Number(values['spans-per-trace']),
      spanBytes: Number(values['span-bytes']),
    },
    samples: Number(values.samples),
    rate: values.rate === undefined ? undefined : Number(values.rate),
    keep: values.keep === true,
    searchEveryMs: values['search-every'] === undefined ? undefined : Number(values['search-every']),
  };
}
