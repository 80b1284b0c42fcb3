import { RetryableError } from '../../pipeline/errors.ts';

/** A source that answered with some parts but said it may miss others (an ingester's PARTIAL answer). */
export class PartialPartsError extends RetryableError {
  readonly parts: readonly Uint8Array[];

  constructor(message: string, parts: readonly Uint8Array[]) {
    super(message);
    this.parts = parts;
  }
}
