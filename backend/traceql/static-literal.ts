import type { StaticNode } from './ast.ts';
import type { Token } from './token.ts';
import { KINDS, STATUSES } from './value.ts';
import type { Kind, Status, Value } from './value.ts';

/** The static value a literal token stands for, or undefined when the token is not a literal. */
export function staticFromToken(t: Token): StaticNode | undefined {
  const value = literalValue(t);
  if (value === undefined) return undefined;
  const text = t.type === 'string' ? JSON.stringify(t.text) : t.text;
  return { kind: 'static', value, text, pos: t.pos };
}

function literalValue(t: Token): Value | undefined {
  switch (t.type) {
    case 'string': return { type: 'string', value: t.text };
    case 'int': return { type: 'int', value: t.number! };
    case 'float': return { type: 'float', value: t.number! };
    case 'duration': return { type: 'duration', value: t.number! };
    case 'word': return keywordValue(t.text);
    default: return undefined;
  }
}

function keywordValue(word: string): Value | undefined {
  if (word === 'true') return { type: 'bool', value: true };
  if (word === 'false') return { type: 'bool', value: false };
  if (word === 'nil') return { type: 'nil' };
  if ((STATUSES as readonly string[]).includes(word)) return { type: 'status', value: word as Status };
  if ((KINDS as readonly string[]).includes(word)) return { type: 'kind', value: word as Kind };
  return undefined;
}
