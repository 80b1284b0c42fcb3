import { PermanentError } from '../errors.ts';

/**
 * A malformed payload (protobuf or OTLP/JSON) with the path to where it failed. Nested readers throw it
 * with the innermost detail and each enclosing level adds its segment on the way out, so the happy path
 * never builds path strings.
 */
export class PayloadError extends PermanentError {
  readonly detail: string;
  readonly path: string;

  constructor(detail: string, path = '') {
    super(path === '' ? detail : `${path}: ${detail}`);
    this.detail = detail;
    this.path = path;
  }

  /** The same error seen from the enclosing level: `segment` is prepended to the path. */
  within(segment: string): PayloadError {
    if (this.path === '') return new PayloadError(this.detail, segment);
    const sep = this.path.startsWith('[') ? '' : '.';
    return new PayloadError(this.detail, `${segment}${sep}${this.path}`);
  }
}

/** Rethrows `err` with `segment` prepended when it is a PayloadError; anything else passes through. */
export function rethrowWithin(err: unknown, segment: string): never {
  if (err instanceof PayloadError) throw err.within(segment);
  throw err;
}
