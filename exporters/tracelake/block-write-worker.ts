import { parentPort, workerData } from 'node:worker_threads';
import { writeBlock } from '../../backend/block/write-block.ts';
import { unpackWriteRequest, type WriteReply, type WriteRequest } from './block-write-messages.ts';
import { objectStoreFor } from './object-store-for.ts';
import type { ObjectStoreSettings } from './settings.ts';

/** The block-writing thread (threaded-block-writer.ts): builds and uploads blocks with a store of its own. */
const { store } = objectStoreFor(workerData as ObjectStoreSettings);
const port = parentPort!;

port.on('message', (request: WriteRequest) => {
  writeBlock(store, unpackWriteRequest(request)).then(
    (meta) => port.postMessage({ id: request.id, meta } satisfies WriteReply),
    (err: unknown) => port.postMessage({ id: request.id, error: err instanceof Error ? err.message : String(err) } satisfies WriteReply),
  );
});
