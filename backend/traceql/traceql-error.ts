import { BadRequestError } from '../../pipeline/errors.ts';

/**
 * A syntax or type error in a TraceQL query, with the 1-based line and column it points at. The message is
 * Tempo's: `parse error at line L, col C: <detail>`; the API answers it as a 400.
 */
export class TraceQLError extends BadRequestError {
  readonly line: number;
  readonly column: number;
  readonly detail: string;

  constructor(detail: string, line: number, column: number) {
    super(`parse error at line ${line}, col ${column}: ${detail}`);
    this.detail = detail;
    this.line = line;
    this.column = column;
  }
}

/** A position in the query text. `offset` is in UTF-16 units; line and column count characters from 1. */
export interface Position {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
}

export function errorAt(detail: string, pos: Position): TraceQLError {
  return new TraceQLError(detail, pos.line, pos.column);
}
