import { gunzipSync } from 'node:zlib';
import { LocalObjectStore } from '../../../backend/storage/local-object-store.ts';
import { NotFoundError } from '../../../pipeline/errors.ts';
import type { ObjectStore } from '../../../backend/storage/object-store.ts';
import { S3ObjectStore } from '../../../backend/storage/s3-object-store.ts';
import { s3TestOptions } from '../../backend/storage/s3-test-server.ts';
import type { Backend } from './storage-config.ts';

/** What the backend left in the bucket (or local folder), read with a store of its own. */

export interface TenantSnapshot {
  /** Block IDs with a meta.json. */
  readonly live: string[];
  /** Block IDs with a meta.compacted.json. */
  readonly compacted: string[];
  /** Block ID → the names of its objects. */
  readonly folders: Map<string, string[]>;
  /** Keys under the tenant that are not in a block folder (index.json.gz). */
  readonly loose: string[];
}

export interface IndexContent {
  readonly created_at: string;
  readonly meta: { blockID: string; tenantID: string }[];
  readonly compacted: { blockID: string; tenantID: string }[];
}

export class BucketView {
  readonly store: ObjectStore;
  readonly #close: () => void;

  constructor(backend: Backend, localBlocksDir: string) {
    if (backend.kind === 's3') {
      const s3 = new S3ObjectStore(s3TestOptions({ prefix: backend.prefix }));
      this.store = s3;
      this.#close = () => s3.close();
    } else {
      this.store = new LocalObjectStore(localBlocksDir);
      this.#close = () => undefined;
    }
  }

  async keys(): Promise<string[]> {
    return (await this.store.list('')).sort();
  }

  async tenant(tenant: string): Promise<TenantSnapshot> {
    const folders = new Map<string, string[]>();
    const loose: string[] = [];
    for (const key of await this.store.list(`${tenant}/`)) {
      const parts = key.slice(tenant.length + 1).split('/');
      if (parts.length === 1) {
        loose.push(parts[0]!);
        continue;
      }
      const names = folders.get(parts[0]!) ?? [];
      names.push(parts.slice(1).join('/'));
      folders.set(parts[0]!, names);
    }
    const having = (name: string) => [...folders].filter(([, names]) => names.includes(name)).map(([id]) => id).sort();
    return { live: having('meta.json'), compacted: having('meta.compacted.json'), folders, loose: loose.sort() };
  }

  /** `<tenant>/index.json.gz` gunzipped and parsed, or undefined when there is none. */
  async index(tenant: string): Promise<IndexContent | undefined> {
    let bytes: Uint8Array;
    try {
      bytes = await this.store.get(`${tenant}/index.json.gz`);
    } catch (err) {
      if (err instanceof NotFoundError) return undefined;
      throw err;
    }
    return JSON.parse(gunzipSync(bytes).toString('utf8')) as IndexContent;
  }

  close(): void {
    this.#close();
  }
}

/** A listing for failure messages: `blockID: names` per folder. */
export function describeSnapshot(s: TenantSnapshot): string {
  const lines = [...s.folders].map(([id, names]) => `  ${id}: ${names.sort().join(', ')}`);
  return `${s.live.length} live, ${s.compacted.length} compacted; loose: ${s.loose.join(', ') || '-'}\n${lines.join('\n')}`;
}
