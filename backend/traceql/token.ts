import type { Position } from './traceql-error.ts';

export type TokenType =
  | 'string' | 'int' | 'float' | 'duration'
  | 'word'            // keyword or bare identifier: true, status, count, by, server, foo …
  | 'op'              // punctuation and operators: { } ( ) , = != && >> …
  | 'attribute'       // .x  span.x  resource.x  parent.x (name already unquoted)
  | 'scopedIntrinsic' // span:name  trace:duration …
  | 'eof';

export interface Token {
  readonly type: TokenType;
  /** Source text, except: unquoted value for strings, attribute name for attributes. */
  readonly text: string;
  readonly pos: Position;
  /** Numbers and durations (nanoseconds). */
  readonly number?: number;
  /** Attributes: the scope prefix ('' for unscoped `.x`). Scoped intrinsics: the scope before `:`. */
  readonly scope?: string;
}

/** Operators, longest first so that the scanner takes `!>>` before `!>` before `!`. */
export const OPERATORS: readonly string[] = [
  '!>>', '!<<', '&>>', '&<<',
  '&&', '||', '!=', '=~', '!~', '>=', '<=', '>>', '<<', '!>', '!<', '&>', '&<', '&~',
  '{', '}', '(', ')', ',', '=', '>', '<', '+', '-', '*', '/', '%', '^', '!', '|', '~',
];

/** How Tempo's parser names a token in "unexpected X" messages. */
export function describeToken(t: Token): string {
  switch (t.type) {
    case 'eof': return '$end';
    case 'string': return 'STRING';
    case 'int': return 'INTEGER';
    case 'float': return 'FLOAT';
    case 'duration': return 'DURATION';
    case 'attribute': return 'IDENTIFIER';
    case 'scopedIntrinsic': return `${t.scope}:${t.text}`;
    case 'word': return KEYWORDS.has(t.text) ? t.text : 'IDENTIFIER';
    default: return t.text;
  }
}

export const KEYWORDS: ReadonlySet<string> = new Set([
  'true', 'false', 'nil', 'ok', 'error', 'unset',
  'unspecified', 'internal', 'server', 'client', 'producer', 'consumer',
  'duration', 'childCount', 'name', 'status', 'statusMessage', 'kind', 'rootName', 'rootServiceName',
  'traceDuration', 'nestedSetLeft', 'nestedSetRight', 'nestedSetParent', 'parent',
  'count', 'avg', 'max', 'min', 'sum', 'by', 'coalesce', 'select', 'with',
]);
