import assert from 'node:assert/strict';
import path from 'node:path';
import { LocalObjectStore } from '../../../backend/storage/local-object-store.ts';
import { S3ObjectStore } from '../../../backend/storage/s3-object-store.ts';
import { objectStoreFor } from '../../../exporters/tracelake/object-store-for.ts';

describe('objectStoreFor', () => {
  it('opens the local folder, resolved against the working directory', () => {
    const opened = objectStoreFor({ backend: 'local', path: './data/blocks' });
    assert.ok(opened.store instanceof LocalObjectStore);
    assert.equal(opened.store.root, path.resolve('./data/blocks'));
    opened.close();
  });

  it('opens the S3 bucket under its prefix', () => {
    const opened = objectStoreFor({
      backend: 's3', s3: { bucket: 'traces', endpoint: '127.0.0.1:9000', insecure: true, prefix: '/tempo/' },
    });
    assert.ok(opened.store instanceof S3ObjectStore);
    assert.equal(opened.store.bucket, 'traces');
    assert.equal(opened.store.keyPrefix, 'tempo/');
    opened.close();
  });
});
