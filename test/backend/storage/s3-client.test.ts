import assert from 'node:assert/strict';
import { s3EndpointUrl, s3RegionFor, s3UsesPathStyle } from '../../../backend/storage/s3-client.ts';

describe('s3 client options', () => {
  it('makes an https URL of host:port, http when insecure, and keeps a full URL as it is', () => {
    assert.equal(s3EndpointUrl('minio:9000').href, 'https://minio:9000/');
    assert.equal(s3EndpointUrl('127.0.0.1:9000', true).href, 'http://127.0.0.1:9000/');
    assert.equal(s3EndpointUrl('http://127.0.0.1:9000').href, 'http://127.0.0.1:9000/');
  });

  it('reads the region from an AWS endpoint unless one is given, else us-east-1', () => {
    assert.equal(s3RegionFor({ endpoint: 's3.eu-west-1.amazonaws.com' }), 'eu-west-1');
    assert.equal(s3RegionFor({ endpoint: 's3-ap-southeast-2.amazonaws.com' }), 'ap-southeast-2');
    assert.equal(s3RegionFor({ endpoint: 's3.dualstack.us-east-2.amazonaws.com' }), 'us-east-2');
    assert.equal(s3RegionFor({ endpoint: 's3.amazonaws.com' }), 'us-east-1');
    assert.equal(s3RegionFor({ endpoint: 'minio:9000' }), 'us-east-1');
    assert.equal(s3RegionFor({ endpoint: 's3.eu-west-1.amazonaws.com', region: 'eu-central-1' }), 'eu-central-1');
  });

  it('uses path-style requests for every endpoint but AWS, or when forced', () => {
    assert.equal(s3UsesPathStyle({ endpoint: '127.0.0.1:9000' }), true);
    assert.equal(s3UsesPathStyle({ endpoint: 'minio.storage.svc:9000' }), true);
    assert.equal(s3UsesPathStyle({ endpoint: 's3.eu-west-1.amazonaws.com' }), false);
    assert.equal(s3UsesPathStyle({ endpoint: 's3.eu-west-1.amazonaws.com', forcePathStyle: true }), true);
  });
});
