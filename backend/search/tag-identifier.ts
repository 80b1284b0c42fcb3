import { BadRequestError } from '../../pipeline/errors.ts';
import type { FieldRef } from '../traceql/ast.ts';
import { SCOPED_INTRINSICS, UNSCOPED_INTRINSICS } from '../traceql/intrinsic-names.ts';
import { tokenize } from '../traceql/lexer.ts';
import type { Token } from '../traceql/token.ts';
import { TraceQLError } from '../traceql/traceql-error.ts';

const SCOPES = new Set(['', 'span', 'resource', 'event', 'link', 'instrumentation']);
/** Bounds the decoding of a name encoded over and over. */
const MAX_DECODES = 10;

/**
 * A tag name from the path, percent-decoded until it no longer changes: Grafana's browser code encodes it
 * twice (`span.http%252Emethod`), and Tempo's handler decodes until stable too.
 */
export function decodeTagName(raw: string): string {
  let name = raw;
  for (let i = 0; i < MAX_DECODES; i++) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(name);
    } catch {
      // A `%` that is not an escape is part of the name: keep what decoded so far.
      return name;
    }
    if (decoded === name) return name;
    name = decoded;
  }
  return name;
}

/**
 * A v2 tag identifier as TraceQL reads it: `resource.service.name`, `span.http.method`, `.x`, `name`,
 * `span:name`… One field and nothing else; anything else (a bare `app.user.id`) is a 400 worded as Tempo's.
 */
export function parseTagIdentifier(text: string): FieldRef {
  const invalid = (): BadRequestError => new BadRequestError(`tag name is not valid intrinsic or scoped attribute: ${text}`);
  let tokens: Token[];
  try {
    tokens = tokenize(text);
  } catch (err) {
    if (err instanceof TraceQLError) throw invalid();
    throw err;
  }
  const t = tokens[0]!;
  if (tokens.length !== 2) throw invalid();
  if (t.type === 'attribute' && SCOPES.has(t.scope ?? '')) {
    const scope = (t.scope === '' || t.scope === undefined ? 'none' : t.scope) as 'none' | 'span' | 'resource' | 'event' | 'link' | 'instrumentation';
    return { kind: 'attribute', scope, name: t.text, pos: t.pos };
  }
  const full = t.type === 'scopedIntrinsic' ? `${t.scope}:${t.text}` : t.type === 'word' ? t.text : '';
  const intrinsic = (t.type === 'scopedIntrinsic' ? SCOPED_INTRINSICS : UNSCOPED_INTRINSICS).get(full);
  if (intrinsic === undefined) throw invalid();
  return { kind: 'intrinsic', intrinsic, text: full, pos: t.pos };
}
