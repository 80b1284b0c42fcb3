import type { Token } from './token.ts';
import { errorAt } from './traceql-error.ts';

/** Query hints (`{ … } with (most_recent=true)`): how to run a query, not what it matches. */
export interface QueryHints {
  /** Search: the newest `limit` traces (searched exhaustively in time order), not the first `limit` found. */
  readonly mostRecent: boolean;
}

export const NO_HINTS: QueryHints = { mostRecent: false };

/**
 * Splits Tempo's trailing hint clause `with (name = value, …)` off a query's tokens (it may follow a search
 * pipeline or a metrics stage). Hints this engine does not use are accepted and ignored, as Tempo does with
 * hints it does not know; `most_recent` takes a boolean.
 */
export function splitHints(tokens: readonly Token[]): { readonly tokens: Token[]; readonly hints: QueryHints } {
  const at = hintStart(tokens);
  if (at === undefined) return { tokens: [...tokens], hints: NO_HINTS };
  let mostRecent = false;
  let i = at + 2;
  for (;;) {
    const [name, eq, value, next] = [tokens[i], tokens[i + 1], tokens[i + 2], tokens[i + 3]];
    if (name?.type !== 'word') throw errorAt('a hint is name = value', (name ?? tokens[at]).pos);
    if (eq?.text !== '=' || value === undefined || !['word', 'string', 'int', 'float', 'duration'].includes(value.type)) {
      throw errorAt(`hint ${name.text} needs = and a value`, (eq ?? name).pos);
    }
    if (name.text === 'most_recent') {
      if (value.type !== 'word' || (value.text !== 'true' && value.text !== 'false')) throw errorAt('most_recent takes true or false', value.pos);
      mostRecent = value.text === 'true';
    }
    i += 3;
    if (next?.text === ',') i++;
    else if (next?.text === ')') break;
    else throw errorAt('expected , or ) in with (…)', (next ?? value).pos);
  }
  if (tokens[i + 1]?.type !== 'eof') throw errorAt('with (…) must end the query', tokens[i + 1]!.pos);
  return { tokens: [...tokens.slice(0, at), { type: 'eof', text: '', pos: tokens[at]!.pos }], hints: { mostRecent } };
}

/** Index of `with` followed by `(` outside every bracket. */
function hintStart(tokens: readonly Token[]): number | undefined {
  let depth = 0;
  for (let i = 0; i < tokens.length - 1; i++) {
    const t = tokens[i]!;
    if (t.type === 'op' && (t.text === '(' || t.text === '{')) depth++;
    else if (t.type === 'op' && (t.text === ')' || t.text === '}')) depth--;
    else if (depth === 0 && t.type === 'word' && t.text === 'with' && tokens[i + 1]!.text === '(') return i;
  }
  return undefined;
}
