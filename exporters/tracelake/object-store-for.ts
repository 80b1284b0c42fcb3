import path from 'node:path';
import { LocalObjectStore } from '../../backend/storage/local-object-store.ts';
import type { ObjectStore } from '../../backend/storage/object-store.ts';
import { S3ObjectStore } from '../../backend/storage/s3-object-store.ts';
import type { ObjectStoreSettings } from './settings.ts';

/** A store opened from the config, and how to let go of its connections at shutdown. */
export interface OpenedObjectStore {
  readonly store: ObjectStore;
  close(): void;
}

/** The block store the config names: a local folder, or an S3 bucket (AWS or S3-compatible). */
export function objectStoreFor(settings: ObjectStoreSettings): OpenedObjectStore {
  if (settings.backend === 'local') return { store: new LocalObjectStore(path.resolve(settings.path)), close: () => undefined };
  const store = new S3ObjectStore(settings.s3);
  return { store, close: () => store.close() };
}
