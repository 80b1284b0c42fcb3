/** The one catalogue of coded errors. Receivers map them to HTTP and gRPC status codes. */

export class TracelakeError extends Error {
  readonly code: string = 'TRACELAKE_ERROR';
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A configuration file or value is invalid. */
export class ConfigError extends TracelakeError {
  override readonly code = 'CONFIG_INVALID';
}

/** The data can never be accepted (malformed payload, bad trace ID): retrying will not help. HTTP 400. */
export class PermanentError extends TracelakeError {
  override readonly code = 'PERMANENT';
}

/** Temporarily refused (memory limit, storage down): the client should retry later. HTTP 503. */
export class RetryableError extends TracelakeError {
  override readonly code: string = 'RETRYABLE';
  readonly retryAfterSeconds: number;
  constructor(message: string, options?: ErrorOptions & { retryAfterSeconds?: number }) {
    super(message, options);
    this.retryAfterSeconds = options?.retryAfterSeconds ?? 1;
  }
}

/** A bounded queue is full. HTTP 503 with Retry-After. */
export class QueueFullError extends RetryableError {
  override readonly code = 'QUEUE_FULL';
}

/** A request body exceeds the configured limit. HTTP 413. */
export class PayloadTooLargeError extends TracelakeError {
  override readonly code = 'PAYLOAD_TOO_LARGE';
}

/** The request carries no valid tenant while multitenancy is on. HTTP 401. */
export class UnauthorizedError extends TracelakeError {
  override readonly code = 'UNAUTHORIZED';
}

/** A bad query parameter (trace ID, time range). HTTP 400. */
export class BadRequestError extends TracelakeError {
  override readonly code = 'BAD_REQUEST';
}

/** The requested object does not exist. HTTP 404. */
export class NotFoundError extends TracelakeError {
  override readonly code = 'NOT_FOUND';
}
