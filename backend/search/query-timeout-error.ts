import { TracelakeError } from '../../pipeline/errors.ts';

/** A search ran past `query_timeout`: Tempo answers 504 `context deadline exceeded`. */
export class QueryTimeoutError extends TracelakeError {
  override readonly code = 'QUERY_TIMEOUT';

  constructor(options?: ErrorOptions) {
    super('context deadline exceeded', options);
  }
}
