import { parseDurationLiteral } from './duration-literal.ts';
import { unquoteGo } from './go-string.ts';
import { OPERATORS } from './token.ts';
import type { Token, TokenType } from './token.ts';
import { errorAt } from './traceql-error.ts';
import type { Position } from './traceql-error.ts';

const ATTRIBUTE_SCOPES = new Set(['span', 'resource', 'parent', 'event', 'link', 'instrumentation']);
const INTRINSIC_SCOPES = new Set(['span', 'trace', 'event', 'link', 'instrumentation']);
/** Characters that end an unquoted attribute name (besides whitespace), as in Tempo's lexer. */
const ATTRIBUTE_END = new Set(['{', '}', '(', ')', '=', '~', '!', '<', '>', '&', '|', '^', ',']);
const DURATION_CHARS = /[0-9.nsumhµμdwy]/;

/** Splits a TraceQL query into tokens; the last is always `eof`. Throws TraceQLError on bad input. */
export function tokenize(query: string): Token[] {
  return new Lexer(query).run();
}

class Lexer {
  private readonly src: string;
  private i = 0;
  private readonly lineStarts: number[] = [0];
  private readonly tokens: Token[] = [];
  /** The last position computed: tokens come in order, so each position is counted on from the last. */
  private cursor: Position = { offset: 0, line: 1, column: 1 };

  constructor(src: string) {
    this.src = src;
    for (let k = 0; k < src.length; k++) if (src[k] === '\n') this.lineStarts.push(k + 1);
  }

  run(): Token[] {
    for (;;) {
      this.skipSpace();
      if (this.i >= this.src.length) {
        this.push('eof', '', this.i);
        return this.tokens;
      }
      this.next();
    }
  }

  private next(): void {
    const c = this.src[this.i];
    const start = this.i;
    if (c === '"') return this.quoted(start);
    if (c === '`') return this.raw(start);
    if (isDigit(c) || (c === '.' && isDigit(this.src[start + 1]))) return this.number(start);
    if (c === '.') {
      this.i++;
      return this.attribute(start, '');
    }
    if (isWordStart(c)) return this.word(start);
    for (const op of OPERATORS) {
      if (this.src.startsWith(op, start)) {
        this.i += op.length;
        this.push('op', op, start);
        return;
      }
    }
    throw errorAt(`syntax error: unexpected character ${JSON.stringify(c)}`, this.position(start));
  }

  private quoted(start: number): void {
    let k = start + 1;
    while (k < this.src.length && this.src[k] !== '"' && this.src[k] !== '\n') k += this.src[k] === '\\' ? 2 : 1;
    if (k >= this.src.length || this.src[k] !== '"') throw errorAt('literal not terminated', this.position(start));
    const result = unquoteGo(this.src.slice(start + 1, k));
    if (!result.ok) throw errorAt('invalid syntax', this.position(start + 1 + result.at));
    this.i = k + 1;
    this.push('string', result.value, start);
  }

  private raw(start: number): void {
    const end = this.src.indexOf('`', start + 1);
    if (end < 0) throw errorAt('literal not terminated', this.position(start));
    this.i = end + 1;
    this.push('string', this.src.slice(start + 1, end).replaceAll('\r', ''), start);
  }

  private number(start: number): void {
    const m = /^(\d*\.\d+|\d+\.?\d*)([eE][+-]?\d+)?/.exec(this.src.slice(start));
    const text = m![0];
    const end = start + text.length;
    let tail = end;
    while (tail < this.src.length && DURATION_CHARS.test(this.src[tail])) tail++;
    if (tail > end) {
      const nanos = parseDurationLiteral(this.src.slice(start, tail));
      if (nanos !== undefined) {
        this.i = tail;
        this.push('duration', this.src.slice(start, tail), start, nanos);
        return;
      }
    }
    const isFloat = text.includes('.') || m![2] !== undefined;
    const value = Number(text);
    if (!isFloat && !Number.isSafeInteger(value)) {
      throw errorAt(`strconv.Atoi: parsing ${JSON.stringify(text)}: value out of range`, this.position(start));
    }
    this.i = end;
    this.push(isFloat ? 'float' : 'int', text, start, value);
  }

  private word(start: number): void {
    let k = start + 1;
    while (k < this.src.length && isWordPart(this.src[k])) k++;
    const word = this.src.slice(start, k);
    const after = this.src[k];
    if (after === '.' && ATTRIBUTE_SCOPES.has(word)) {
      this.i = k + 1;
      return this.attribute(start, word);
    }
    if (after === ':' && INTRINSIC_SCOPES.has(word)) {
      let e = k + 1;
      while (e < this.src.length && isWordPart(this.src[e])) e++;
      this.i = e;
      this.push('scopedIntrinsic', this.src.slice(k + 1, e), start, undefined, word);
      return;
    }
    this.i = k;
    this.push('word', word, start);
  }

  /** Reads an attribute name after its scope prefix; `"…"` parts may hold any character. */
  private attribute(start: number, scope: string): void {
    // parent.span.x and parent.resource.x
    if (scope === 'parent') {
      for (const inner of ['span.', 'resource.']) {
        if (this.src.startsWith(inner, this.i)) {
          this.i += inner.length;
          scope = `parent.${inner.slice(0, -1)}`;
          break;
        }
      }
    }
    let name = '';
    for (;;) {
      const c = this.src[this.i];
      if (c === '"') name += this.quotedAttributePart();
      else if (c !== undefined && !/\s/.test(c) && !ATTRIBUTE_END.has(c)) {
        name += c;
        this.i++;
      } else break;
    }
    if (name === '') throw errorAt('syntax error: unexpected END_ATTRIBUTE, expecting IDENTIFIER', this.position(this.i));
    this.push('attribute', name, start, undefined, scope);
  }

  private quotedAttributePart(): string {
    let out = '';
    const open = this.i;
    this.i++;
    for (;;) {
      const c = this.src[this.i];
      if (c === undefined) throw errorAt('unexpected EOF, expecting "', this.position(open));
      this.i++;
      if (c === '"') return out;
      if (c === '\\') {
        const e = this.src[this.i];
        if (e !== '"' && e !== '\\') throw errorAt('invalid escape sequence', this.position(this.i - 1));
        out += e;
        this.i++;
      } else out += c;
    }
  }

  private skipSpace(): void {
    while (this.i < this.src.length && /\s/.test(this.src[this.i])) this.i++;
  }

  private push(type: TokenType, text: string, start: number, number?: number, scope?: string): void {
    this.tokens.push({ type, text, pos: this.position(start), number, scope });
  }

  position(offset: number): Position {
    let { offset: at, line, column } = this.cursor;
    if (offset < at) {
      line = 1;
      while (line < this.lineStarts.length && this.lineStarts[line] <= offset) line++;
      at = this.lineStarts[line - 1];
      column = 1;
    }
    while (at < offset) {
      const code = this.src.codePointAt(at)!;
      at += code > 0xffff ? 2 : 1;
      if (code === 10) {
        line++;
        column = 1;
      } else column++;
    }
    this.cursor = { offset, line, column };
    return this.cursor;
  }
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

function isWordStart(c: string): boolean {
  return /[\p{L}_]/u.test(c);
}

function isWordPart(c: string): boolean {
  return /[\p{L}\p{Nd}_]/u.test(c);
}
