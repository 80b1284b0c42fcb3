import { parseDocument, stringify } from 'yaml';
import { embeddedConfig, freePorts, makeTempDir, TracelakeProcess } from '../integration/tracelake-process.ts';
import { kafkaExporterSection, kafkaReceiverSection, type ExporterOptions, type ReceiverOptions } from './kafka-sections.ts';

/** Tracelake processes in the roles of a Kafka deployment, started with the real CLI (bin/tracelake.ts). */

/**
 * `kafka receiver → tracelake exporter`: the shipped embedded config with the otlp receiver swapped for kafka;
 * `multitenancy` turns on multitenancy_enabled (the tenant then comes from each record's X-Scope-OrgID header).
 */
export async function startIngester(receiver: ReceiverOptions, multitenancy = false): Promise<TracelakeProcess> {
  const dir = await makeTempDir('tracelake-interop-ingester-');
  const ports = await freePorts();
  const doc = parseDocument(embeddedConfig(ports, dir));
  doc.setIn(['receivers'], doc.createNode({ kafka: kafkaReceiverSection(receiver) }));
  doc.setIn(['exporters', 'tracelake', 'multitenancy_enabled'], multitenancy);
  doc.setIn(['service', 'pipelines', 'traces', 'receivers'], doc.createNode(['kafka']));
  return TracelakeProcess.startWithConfig({ config: doc.toString(), dir, ports, readiness: 'api' });
}

/** `otlp receiver → kafka exporter`: a gateway. */
export async function startGateway(exporter: ExporterOptions): Promise<TracelakeProcess> {
  const dir = await makeTempDir('tracelake-interop-gateway-');
  const ports = await freePorts();
  const config = {
    receivers: {
      otlp: {
        protocols: {
          grpc: { endpoint: `127.0.0.1:${ports.grpc}` },
          http: { endpoint: `127.0.0.1:${ports.http}` },
        },
      },
    },
    exporters: { kafka: kafkaExporterSection(exporter) },
    service: { pipelines: { traces: { receivers: ['otlp'], exporters: ['kafka'] } } },
  };
  return TracelakeProcess.startWithConfig({ config: stringify(config), dir, ports, readiness: 'otlp-http' });
}

/** `otlp receiver → tracelake exporter`: the embedded default, where the Collector's otlp_http exporter delivers. */
export function startEmbedded(): Promise<TracelakeProcess> {
  return TracelakeProcess.start();
}
