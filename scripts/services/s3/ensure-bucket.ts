// Waits until the S3 server answers ListBuckets with Tracelake's development credentials, then creates the
// bucket `tracelake` unless it exists. Usage: ensure-bucket.ts <endpoint> <timeout ms> <server pid>.
// Exits 0 when ready, 1 on timeout or a refused request, 2 as soon as the server process is gone.
import { setTimeout as sleep } from 'node:timers/promises';
import { CreateBucketCommand, ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { processAlive } from '../process-alive.ts';

const BUCKET = 'tracelake';
const [endpoint = '', timeoutArg = '60000', pidArg = '0'] = process.argv.slice(2);
const deadline = Date.now() + Number(timeoutArg);
const s3 = new S3Client({
  endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'tracelake', secretAccessKey: 'tracelake-secret' },
  forcePathStyle: true,
  // Newer SDKs add CRC32 trailers by default, which S3-compatible servers often refuse.
  requestChecksumCalculation: 'WHEN_REQUIRED',
  responseChecksumValidation: 'WHEN_REQUIRED',
  maxAttempts: 1,
});

async function listBuckets(): Promise<string[]> {
  let lastError = 'no attempt';
  while (Date.now() < deadline) {
    if (!processAlive(Number(pidArg))) {
      console.error(`[services] the S3 server (pid ${pidArg}) exited during start-up`);
      process.exit(2);
    }
    try {
      const { Buckets = [] } = await s3.send(new ListBucketsCommand({}));
      return Buckets.map((b) => b.Name ?? '');
    } catch (err) {
      lastError = (err as Error).message;
      // Only a server that is not listening yet is worth waiting for; a refusal (bad credentials) is final.
      if ((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode !== undefined) break;
    }
    await sleep(300);
  }
  console.error(`[services] the S3 server at ${endpoint} did not answer ListBuckets: ${lastError}`);
  process.exit(1);
}

if (!(await listBuckets()).includes(BUCKET)) {
  try {
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  } catch (err) {
    // Another `services:up` may have created it in between: that is the state we want.
    if ((err as Error).name !== 'BucketAlreadyOwnedByYou') throw err;
  }
}
s3.destroy();
