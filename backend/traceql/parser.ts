import type {
  AggregateFn, AggregateNode, AttributeNode, BinaryOp, ByNode, FieldExpr, FieldRef, FilterNode, PipelineNode,
  ScalarFilterNode, ScalarOp, SelectNode, SpansetExpr, SpansetOp, Stage, StaticNode,
} from './ast.ts';
import { SCOPED_INTRINSICS, UNSCOPED_INTRINSICS, UNSUPPORTED_NAMES } from './intrinsic-names.ts';
import { tokenize } from './lexer.ts';
import { staticFromToken } from './static-literal.ts';
import { describeToken } from './token.ts';
import type { Token } from './token.ts';
import { errorAt } from './traceql-error.ts';

/** Binding strength of spanset operators: structural operators bind tighter than `&&` and `||`. */
const SPANSET_PREC: Readonly<Record<string, number>> = {
  '&&': 1, '||': 1,
  '>': 2, '<': 2, '>>': 2, '<<': 2, '~': 2, '&>': 2, '&<': 2, '&>>': 2, '&<<': 2, '&~': 2,
  '!>': 2, '!<': 2, '!>>': 2, '!<<': 2, '!~': 2,
};
/** Field operators as in Tempo's grammar: `&&` and `||` share the lowest level, `^` is right-associative. */
const FIELD_PREC: Readonly<Record<string, number>> = {
  '&&': 1, '||': 1,
  '=': 2, '!=': 2, '<': 2, '<=': 2, '>': 2, '>=': 2, '=~': 2, '!~': 2,
  '+': 3, '-': 3,
  '*': 5, '/': 5, '%': 5,
  '^': 6,
};
const UNARY_OPERAND_PREC = 5;
const SCALAR_OPS = new Set(['=', '!=', '>', '>=', '<', '<=']);
const AGGREGATES = new Set(['count', 'min', 'max', 'avg', 'sum']);
/** Parentheses and unary operators nest the parser's recursion: bounded so that no query overflows the stack. */
const MAX_NESTING = 500;

/** Parses a query into its AST (syntax only; see checkQuery for types). Throws TraceQLError. */
export function parseSyntax(query: string): PipelineNode {
  return parseTokens(tokenize(query));
}

/** Parses tokens ending in `eof` (a query already split by metrics-parser.ts). */
export function parseTokens(tokens: Token[]): PipelineNode {
  return new Parser(tokens).query();
}

class Parser {
  private readonly tokens: Token[];
  private i = 0;
  private nesting = 0;

  constructor(tokens: Token[]) {
    this.tokens = tokens;
  }

  query(): PipelineNode {
    const pipeline = this.pipeline();
    if (this.peek().type !== 'eof') throw this.unexpected();
    return pipeline;
  }

  private pipeline(): PipelineNode {
    const pos = this.peek().pos;
    const stages: Stage[] = [this.stage(true)];
    while (this.isOp('|')) {
      this.i++;
      stages.push(this.stage(false));
    }
    return { kind: 'pipeline', stages, pos };
  }

  private stage(first: boolean): Stage {
    const t = this.peek();
    if (t.type === 'word') {
      if (t.text === 'by') return this.by();
      if (t.text === 'select') return this.select();
      if (t.text === 'coalesce' && !first) return this.coalesce();
      if (AGGREGATES.has(t.text)) return this.scalarFilter();
    }
    return this.spansetExpr(0);
  }

  private spansetExpr(minPrec: number): SpansetExpr {
    let lhs = this.spansetPrimary();
    for (;;) {
      const t = this.peek();
      const prec = t.type === 'op' ? SPANSET_PREC[t.text] : undefined;
      if (prec === undefined || prec < minPrec) return lhs;
      this.i++;
      const rhs = this.spansetExpr(prec + 1);
      lhs = { kind: 'spansetOp', op: t.text as SpansetOp, lhs, rhs, pos: lhs.pos };
    }
  }

  private spansetPrimary(): SpansetExpr {
    const t = this.peek();
    if (this.isOp('{')) return this.filter();
    if (this.isOp('(')) {
      this.nest();
      this.i++;
      const inner = this.pipeline();
      this.expectOp(')');
      this.nesting--;
      const only = inner.stages.length === 1 ? inner.stages[0] : undefined;
      if (only !== undefined && (only.kind === 'filter' || only.kind === 'spansetOp' || only.kind === 'pipeline')) return only;
      return { ...inner, pos: t.pos };
    }
    throw this.unexpected();
  }

  private filter(): FilterNode {
    const pos = this.take().pos;
    if (this.isOp('}')) {
      this.i++;
      return { kind: 'filter', expr: undefined, pos };
    }
    const expr = this.field(0);
    this.expectOp('}');
    return { kind: 'filter', expr, pos };
  }

  private field(minPrec: number): FieldExpr {
    let lhs = this.unary();
    for (;;) {
      const t = this.peek();
      const prec = t.type === 'op' ? FIELD_PREC[t.text] : undefined;
      if (prec === undefined || prec < minPrec) return lhs;
      this.i++;
      const rhs = this.field(t.text === '^' ? prec : prec + 1);
      lhs = { kind: 'binary', op: t.text as BinaryOp, lhs, rhs, pos: lhs.pos };
    }
  }

  private unary(): FieldExpr {
    const t = this.peek();
    if (t.type === 'op' && (t.text === '!' || t.text === '-')) {
      this.nest();
      this.i++;
      const operand = this.field(UNARY_OPERAND_PREC);
      this.nesting--;
      if (t.text === '-' && operand.kind === 'static' && negatable(operand)) return negate(operand, t);
      return { kind: 'unary', op: t.text, operand, pos: t.pos };
    }
    return this.operand();
  }

  private operand(): FieldExpr {
    const t = this.take();
    if (t.type === 'op' && t.text === '(') {
      this.i--;
      this.nest();
      this.i++;
      const inner = this.field(0);
      this.expectOp(')');
      this.nesting--;
      return inner;
    }
    const literal = staticFromToken(t);
    if (literal !== undefined) return literal;
    if (t.type === 'attribute') return attributeNode(t);
    if (t.type === 'scopedIntrinsic') {
      const full = `${t.scope}:${t.text}`;
      const intrinsic = SCOPED_INTRINSICS.get(full);
      if (intrinsic !== undefined) return { kind: 'intrinsic', intrinsic, text: full, pos: t.pos };
      if (UNSUPPORTED_NAMES.has(full)) throw errorAt(`${full} is not supported yet`, t.pos);
      throw errorAt(`syntax error: unexpected IDENTIFIER ${full}`, t.pos);
    }
    if (t.type === 'word') {
      const intrinsic = UNSCOPED_INTRINSICS.get(t.text);
      if (intrinsic !== undefined) return { kind: 'intrinsic', intrinsic, text: t.text, pos: t.pos };
      if (UNSUPPORTED_NAMES.has(t.text)) throw errorAt(`${t.text} is not supported yet`, t.pos);
    }
    this.i--;
    throw this.unexpected();
  }

  private scalarFilter(): ScalarFilterNode {
    const lhs = this.aggregate();
    const t = this.take();
    if (t.type !== 'op' || !SCALAR_OPS.has(t.text)) {
      this.i--;
      throw this.unexpected();
    }
    if (this.peek().type === 'word' && AGGREGATES.has(this.peek().text)) {
      throw errorAt('comparing two aggregates is not supported', this.peek().pos);
    }
    const rhs = this.unary();
    if (rhs.kind !== 'static') throw errorAt('a scalar filter compares an aggregate with a number or duration', rhs.pos);
    return { kind: 'scalarFilter', op: t.text as ScalarOp, lhs, rhs, pos: lhs.pos };
  }

  private aggregate(): AggregateNode {
    const t = this.take();
    const fn = t.text as AggregateFn;
    this.expectOp('(');
    const arg = fn === 'count' ? undefined : this.field(0);
    this.expectOp(')');
    return { kind: 'aggregate', fn, arg, pos: t.pos };
  }

  private by(): ByNode {
    const pos = this.take().pos;
    this.expectOp('(');
    const expr = this.field(0);
    this.expectOp(')');
    return { kind: 'by', expr, pos };
  }

  private select(): SelectNode {
    const pos = this.take().pos;
    this.expectOp('(');
    const fields: FieldRef[] = [this.selectArg()];
    while (this.isOp(',')) {
      this.i++;
      fields.push(this.selectArg());
    }
    this.expectOp(')');
    return { kind: 'select', fields, pos };
  }

  private selectArg(): FieldRef {
    const arg = this.field(0);
    if (arg.kind !== 'attribute' && arg.kind !== 'intrinsic') {
      throw errorAt('select() takes attributes and intrinsics only', arg.pos);
    }
    return arg;
  }

  private coalesce(): Stage {
    const pos = this.take().pos;
    this.expectOp('(');
    this.expectOp(')');
    return { kind: 'coalesce', pos };
  }

  private nest(): void {
    if (++this.nesting > MAX_NESTING) throw errorAt(`query nested deeper than ${MAX_NESTING} levels`, this.peek().pos);
  }

  private peek(): Token {
    return this.tokens[Math.min(this.i, this.tokens.length - 1)];
  }

  /** Consumes a token; past the end it keeps answering `eof`, and `i--` still steps back exactly one. */
  private take(): Token {
    const t = this.peek();
    this.i++;
    return t;
  }

  private isOp(text: string): boolean {
    const t = this.peek();
    return t.type === 'op' && t.text === text;
  }

  private expectOp(text: string): void {
    if (!this.isOp(text)) throw this.unexpected(`, expecting ${text}`);
    this.i++;
  }

  private unexpected(expecting = ''): Error {
    const t = this.peek();
    return errorAt(`syntax error: unexpected ${describeToken(t)}${expecting}`, t.pos);
  }
}

/** The AST node of an attribute token (`span.x`, `.x` …); refuses scopes the engine does not read. */
export function attributeNode(t: Token): AttributeNode {
  const scope = t.scope ?? '';
  if (scope === '') return { kind: 'attribute', scope: 'none', name: t.text, pos: t.pos };
  if (scope === 'span' || scope === 'resource' || scope === 'instrumentation' || scope === 'event' || scope === 'link') return { kind: 'attribute', scope, name: t.text, pos: t.pos };
  throw errorAt(`the ${scope}. scope is not supported yet`, t.pos);
}

function negatable(node: StaticNode): boolean {
  const t = node.value.type;
  return (t === 'int' || t === 'float' || t === 'duration') && !node.text.startsWith('-');
}

function negate(node: StaticNode, minus: Token): StaticNode {
  const v = node.value as { type: 'int' | 'float' | 'duration'; value: number };
  return { kind: 'static', value: { type: v.type, value: -v.value }, text: `-${node.text}`, pos: minus.pos };
}
