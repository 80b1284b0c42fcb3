import { parseDocument } from 'yaml';
import { S3_TEST_BUCKET, S3_TEST_ENDPOINT } from '../../backend/storage/s3-test-server.ts';
import { embeddedConfig, type IngesterConfig, type Ports } from '../tracelake-process.ts';

/** The shipped embedded config tuned for storage tests: tiny blocks, fast polls and compaction cycles. */

export type Backend = { readonly kind: 'local' } | { readonly kind: 's3'; readonly prefix: string };

export interface StorageConfigOptions {
  readonly ports: Ports;
  readonly dir: string;
  readonly backend: Backend;
  readonly ingester?: IngesterConfig;
  /** `exporters.tracelake.compactor.compaction.*`. */
  readonly compaction?: Readonly<Record<string, string | number>>;
  /** `exporters.tracelake.overrides`. */
  readonly overrides?: Readonly<Record<string, { block_retention: string }>>;
  readonly blocklistPoll?: string;
  readonly multitenancy?: boolean;
}

/** The S3 secret comes from the environment (`TL_TEST_S3_SECRET`), as a deployment would pass it. */
export const S3_SECRET_ENV = Object.freeze({ TL_TEST_S3_SECRET: 'tracelake-secret' });

export function storageConfig(options: StorageConfigOptions): string {
  const doc = parseDocument(embeddedConfig(options.ports, options.dir, options.ingester));
  const at = (...path: string[]) => ['exporters', 'tracelake', ...path];
  if (options.backend.kind === 's3') {
    const url = new URL(S3_TEST_ENDPOINT);
    doc.setIn(at('storage', 'trace', 'backend'), 's3');
    doc.deleteIn(at('storage', 'trace', 'local'));
    doc.setIn(at('storage', 'trace', 's3'), doc.createNode({
      bucket: S3_TEST_BUCKET, endpoint: url.host, region: 'us-east-1', access_key: 'tracelake',
      secret_key: '${env:TL_TEST_S3_SECRET}', insecure: url.protocol === 'http:', forcepathstyle: true,
      prefix: options.backend.prefix,
    }));
  }
  doc.setIn(at('storage', 'trace', 'blocklist_poll'), options.blocklistPoll ?? '1s');
  for (const [k, v] of Object.entries(options.compaction ?? {})) doc.setIn(at('compactor', 'compaction', k), v);
  if (options.overrides !== undefined) doc.setIn(at('overrides'), doc.createNode(options.overrides));
  if (options.multitenancy !== undefined) doc.setIn(at('multitenancy_enabled'), options.multitenancy);
  return doc.toString();
}
