import {
  AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CreateMultipartUploadCommand, HeadObjectCommand,
  UploadPartCommand, type CompletedPart, type S3Client,
} from '@aws-sdk/client-s3';
import { TracelakeError } from '../../pipeline/errors.ts';
import { withS3Retries, type S3RetryPolicy } from './s3-retry.ts';

export interface MultipartPut {
  readonly client: S3Client;
  readonly bucket: string;
  /** The full S3 key (store prefix included). */
  readonly key: string;
  readonly data: Uint8Array;
  readonly partSize: number;
  /** Parts in flight at once. */
  readonly concurrency: number;
  readonly retry: S3RetryPolicy;
}

/**
 * Uploads `data` in parts of `partSize` bytes (the last one shorter), each retried on its own. The object
 * appears whole at Complete, or not at all: on failure the upload is aborted.
 */
export async function putMultipart(put: MultipartPut): Promise<void> {
  const { client, bucket: Bucket, key: Key, retry } = put;
  const created = await withS3Retries(`CreateMultipartUpload ${Key}`, retry, (abortSignal) =>
    client.send(new CreateMultipartUploadCommand({ Bucket, Key }), { abortSignal }));
  const UploadId = created.UploadId;
  if (UploadId === undefined) throw new TracelakeError(`CreateMultipartUpload ${Key} returned no upload ID`);
  try {
    const parts = await uploadParts(put, UploadId);
    await withS3Retries(`CompleteMultipartUpload ${Key}`, retry, async (abortSignal, attempt) => {
      try {
        await client.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: parts } }), { abortSignal });
      } catch (err) {
        // A Complete that succeeded but whose answer was lost makes the retry find no upload.
        if (attempt > 1 && (err as Error).name === 'NoSuchUpload' && (await hasSize(put, abortSignal))) return;
        throw err;
      }
    });
  } catch (err) {
    // Best effort: the original error is what matters, and a bucket lifecycle rule removes stray uploads.
    await client.send(new AbortMultipartUploadCommand({ Bucket, Key, UploadId })).catch(() => undefined);
    throw err;
  }
}

async function uploadParts(put: MultipartPut, UploadId: string): Promise<CompletedPart[]> {
  const { client, bucket: Bucket, key: Key, data, partSize, retry } = put;
  const count = Math.ceil(data.length / partSize);
  const parts = new Array<CompletedPart>(count);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < count) {
      const i = next++;
      const Body = data.subarray(i * partSize, Math.min(data.length, (i + 1) * partSize));
      const PartNumber = i + 1;
      try {
        const { ETag } = await withS3Retries(`UploadPart ${PartNumber} of ${Key}`, retry, (abortSignal) =>
          client.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber, Body, ContentLength: Body.length }), { abortSignal }));
        parts[i] = { ETag, PartNumber };
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  // Settled, not all: the upload is aborted only once no part is in flight any more.
  const results = await Promise.allSettled(Array.from({ length: Math.max(1, Math.min(put.concurrency, count)) }, worker));
  const failure = results.find((r) => r.status === 'rejected');
  if (failure !== undefined) throw failure.reason;
  return parts;
}

async function hasSize(put: MultipartPut, abortSignal: AbortSignal): Promise<boolean> {
  const head = await put.client.send(new HeadObjectCommand({ Bucket: put.bucket, Key: put.key }), { abortSignal });
  return head.ContentLength === put.data.length;
}
