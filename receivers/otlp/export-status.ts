import { status as GrpcStatus } from '@grpc/grpc-js';
import {
  BadRequestError, PayloadTooLargeError, PermanentError, RetryableError, UnauthorizedError,
} from '../../pipeline/errors.ts';

/** How a failed export is reported, on both transports. */
export interface ExportStatus {
  readonly httpStatus: number;
  readonly grpcCode: GrpcStatus;
  readonly message: string;
  /** Set for errors the client should retry after a pause. */
  readonly retryAfterSeconds?: number;
}

/**
 * Maps the error catalogue to status codes. A full queue is a RetryableError too: 503 with Retry-After. As in the Collector, an error outside the catalogue is taken as
 * transient (503 / UNAVAILABLE): the data was not stored, and a retry may succeed.
 */
export function exportStatusOf(err: unknown): ExportStatus {
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof PermanentError || err instanceof BadRequestError) {
    return { httpStatus: 400, grpcCode: GrpcStatus.INVALID_ARGUMENT, message };
  }
  if (err instanceof PayloadTooLargeError) return { httpStatus: 413, grpcCode: GrpcStatus.RESOURCE_EXHAUSTED, message };
  if (err instanceof UnauthorizedError) return { httpStatus: 401, grpcCode: GrpcStatus.UNAUTHENTICATED, message };
  if (err instanceof RetryableError) {
    return { httpStatus: 503, grpcCode: GrpcStatus.UNAVAILABLE, message, retryAfterSeconds: err.retryAfterSeconds };
  }
  return { httpStatus: 503, grpcCode: GrpcStatus.UNAVAILABLE, message };
}
