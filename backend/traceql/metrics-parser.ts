import { METRICS_FNS } from './ast.ts';
import type { FieldRef, MetricsFn, MetricsNode, PipelineNode, SecondStageNode } from './ast.ts';
import { SCOPED_INTRINSICS, UNSCOPED_INTRINSICS } from './intrinsic-names.ts';
import { attributeNode, parseTokens } from './parser.ts';
import { describeToken } from './token.ts';
import type { Token } from './token.ts';
import { errorAt } from './traceql-error.ts';

const FNS: ReadonlySet<string> = new Set(METRICS_FNS);
/** Functions measuring an attribute: `min_over_time(duration)` … (rate and count_over_time take none). */
const WITH_ATTRIBUTE: ReadonlySet<string> = new Set([
  'min_over_time', 'max_over_time', 'sum_over_time', 'avg_over_time', 'quantile_over_time', 'histogram_over_time',
]);

/** A query split at its metrics stage: the span pipeline, then the metrics stage and what follows it. */
export interface SplitQuery {
  readonly pipeline: PipelineNode;
  readonly metrics: MetricsNode | undefined;
  readonly second: SecondStageNode | undefined;
}

/**
 * Parses a query that may end in a metrics stage (`{…} | rate() by (…) | topk(5)`), as in Tempo's grammar:
 * the metrics stage follows the outermost pipeline only. The pipeline part is parsed by parser.ts.
 */
export function parseWithMetrics(tokens: Token[]): SplitQuery {
  const at = metricsStart(tokens);
  if (at === undefined) return { pipeline: parseTokens(tokens), metrics: undefined, second: undefined };
  const eof: Token = { type: 'eof', text: '', pos: tokens[at].pos };
  const pipeline = parseTokens([...tokens.slice(0, at), eof]);
  const tail = new MetricsStageParser(tokens, at + 1);
  const metrics = tail.metrics();
  const second = tail.secondStage();
  tail.expectEnd();
  return { pipeline, metrics, second };
}

/** Index of the `|` that starts the metrics stage: outside every bracket, followed by a metrics function. */
function metricsStart(tokens: readonly Token[]): number | undefined {
  let depth = 0;
  for (let i = 0; i < tokens.length - 1; i++) {
    const t = tokens[i];
    if (t.type !== 'op') continue;
    if (t.text === '(' || t.text === '{') depth++;
    else if (t.text === ')' || t.text === '}') depth--;
    else if (t.text === '|' && depth === 0 && tokens[i + 1].type === 'word' && FNS.has(tokens[i + 1].text)) return i;
  }
  return undefined;
}

class MetricsStageParser {
  readonly #tokens: Token[];
  #i: number;

  constructor(tokens: Token[], start: number) {
    this.#tokens = tokens;
    this.#i = start;
  }

  metrics(): MetricsNode {
    const t = this.#take();
    const fn = t.text as MetricsFn;
    this.#expectOp('(');
    let attr: FieldRef | undefined;
    const quantiles: number[] = [];
    if (WITH_ATTRIBUTE.has(fn)) {
      attr = this.#attribute();
      if (fn === 'quantile_over_time') {
        do {
          this.#expectOp(',');
          quantiles.push(this.#number());
        } while (this.#isOp(','));
      }
    }
    this.#expectOp(')');
    return { kind: 'metrics', fn, attr, quantiles, by: this.#by(), pos: t.pos };
  }

  secondStage(): SecondStageNode | undefined {
    if (!this.#isOp('|')) return undefined;
    this.#i++;
    const t = this.#take();
    if (t.type !== 'word' || (t.text !== 'topk' && t.text !== 'bottomk')) throw this.#unexpected(t);
    this.#expectOp('(');
    const n = this.#take();
    if (n.type !== 'int') throw this.#unexpected(n, ', expecting INTEGER');
    this.#expectOp(')');
    return { kind: t.text, limit: n.number!, pos: t.pos };
  }

  expectEnd(): void {
    const t = this.#peek();
    if (t.type !== 'eof') throw this.#unexpected(t);
  }

  #by(): FieldRef[] {
    const t = this.#peek();
    if (t.type !== 'word' || t.text !== 'by') return [];
    this.#i++;
    this.#expectOp('(');
    const out = [this.#attribute()];
    while (this.#isOp(',')) {
      this.#i++;
      out.push(this.#attribute());
    }
    this.#expectOp(')');
    return out;
  }

  #attribute(): FieldRef {
    const t = this.#take();
    if (t.type === 'attribute') return attributeNode(t);
    const text = t.type === 'scopedIntrinsic' ? `${t.scope}:${t.text}` : t.text;
    const intrinsic = t.type === 'scopedIntrinsic' ? SCOPED_INTRINSICS.get(text) : t.type === 'word' ? UNSCOPED_INTRINSICS.get(text) : undefined;
    if (intrinsic === undefined) throw this.#unexpected(t);
    return { kind: 'intrinsic', intrinsic, text, pos: t.pos };
  }

  #number(): number {
    const t = this.#take();
    if (t.type !== 'int' && t.type !== 'float') throw this.#unexpected(t, ', expecting FLOAT or INTEGER');
    return t.number!;
  }

  #peek(): Token {
    return this.#tokens[Math.min(this.#i, this.#tokens.length - 1)];
  }

  #take(): Token {
    const t = this.#peek();
    this.#i++;
    return t;
  }

  #isOp(text: string): boolean {
    const t = this.#peek();
    return t.type === 'op' && t.text === text;
  }

  #expectOp(text: string): void {
    const t = this.#take();
    if (t.type !== 'op' || t.text !== text) throw this.#unexpected(t, `, expecting ${text}`);
  }

  #unexpected(t: Token, expecting = ''): Error {
    return errorAt(`syntax error: unexpected ${describeToken(t)}${expecting}`, t.pos);
  }
}
