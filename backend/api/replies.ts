import {
  BadRequestError, NotFoundError, PayloadTooLargeError, PermanentError, QueueFullError, RetryableError,
  UnauthorizedError,
} from '../../pipeline/errors.ts';
import type { ApiResponse } from './router.ts';

export const CONTENT_TYPE_PROTOBUF = 'application/protobuf';
export const CONTENT_TYPE_JSON = 'application/json';
const CONTENT_TYPE_TEXT = 'text/plain; charset=utf-8';

/** Tempo answers errors (and echo, ready) in plain text. */
export function textReply(status: number, text: string): ApiResponse {
  return { status, contentType: CONTENT_TYPE_TEXT, body: text };
}

export function jsonReply(status: number, value: unknown): ApiResponse {
  return { status, contentType: CONTENT_TYPE_JSON, body: JSON.stringify(value) };
}

export function protobufReply(status: number, bytes: Uint8Array): ApiResponse {
  return { status, contentType: CONTENT_TYPE_PROTOBUF, body: bytes };
}

/** HTTP status for an error from the catalogue; anything else is a 500. */
export function statusForError(err: unknown): number {
  if (err instanceof BadRequestError || err instanceof PermanentError) return 400;
  if (err instanceof UnauthorizedError) return 401;
  if (err instanceof NotFoundError) return 404;
  if (err instanceof PayloadTooLargeError) return 413;
  if (err instanceof QueueFullError) return 429;
  if (err instanceof RetryableError) return 503;
  return 500;
}

/** Plain-text error reply; internal errors do not leak their message. */
export function errorReply(err: unknown): ApiResponse {
  const status = statusForError(err);
  const message = status === 500 || !(err instanceof Error) ? 'internal error' : err.message;
  return textReply(status, message);
}
