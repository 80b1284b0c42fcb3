import { S3Client } from '@aws-sdk/client-s3';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { S3ObjectStoreOptions } from './s3-object-store-options.ts';

const DEFAULT_REGION = 'us-east-1';
const AWS_HOST = /(^|\.)amazonaws\.com(\.cn)?$/;
// s3.eu-west-1.amazonaws.com, s3-eu-west-1.amazonaws.com, s3.dualstack.us-east-2.amazonaws.com, bucket.s3.…
const AWS_REGION = /(?:^|\.)s3[.-](?:dualstack\.)?([a-z]{2}(?:-gov)?-[a-z]+-\d+)\.amazonaws\.com/;

/** The endpoint as a URL: `host:port` gets https, or http when `insecure`. */
export function s3EndpointUrl(endpoint: string, insecure = false): URL {
  return new URL(endpoint.includes('://') ? endpoint : `${insecure ? 'http' : 'https'}://${endpoint}`);
}

export function s3RegionFor(options: Pick<S3ObjectStoreOptions, 'endpoint' | 'region' | 'insecure'>): string {
  if (options.region) return options.region;
  return AWS_REGION.exec(s3EndpointUrl(options.endpoint, options.insecure).hostname)?.[1] ?? DEFAULT_REGION;
}

/** Path-style for every endpoint but AWS's own unless forced (minio-go's automatic bucket lookup). */
export function s3UsesPathStyle(options: Pick<S3ObjectStoreOptions, 'endpoint' | 'forcePathStyle' | 'insecure'>): boolean {
  return options.forcePathStyle === true || !AWS_HOST.test(s3EndpointUrl(options.endpoint, options.insecure).hostname);
}

/**
 * An SDK client for one store. The SDK's own retries are off (maxAttempts 1): withS3Retries covers the
 * response body too, which the SDK's retry middleware cannot. Checksums only when an operation requires
 * them: newer SDKs otherwise add CRC32 trailers that many S3-compatible servers refuse.
 */
export function createS3Client(options: S3ObjectStoreOptions): S3Client {
  const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 64 };
  return new S3Client({
    endpoint: s3EndpointUrl(options.endpoint, options.insecure).href,
    region: s3RegionFor(options),
    forcePathStyle: s3UsesPathStyle(options),
    ...(options.credentials === undefined ? {} : { credentials: { ...options.credentials } }),
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 1,
    requestHandler: {
      httpAgent: new HttpAgent(agentOptions),
      httpsAgent: new HttpsAgent(agentOptions),
      connectionTimeout: options.connectTimeoutMs ?? 3000,
    },
  });
}
