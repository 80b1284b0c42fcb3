import { MAX_AST_HEIGHT, tooDeepAt } from './ast-height.ts';
import type { PipelineNode } from './ast.ts';
import { parseSyntax } from './parser.ts';
import { errorAt } from './traceql-error.ts';
import { checkQuery } from './type-check.ts';

/** Parses and type-checks a TraceQL query. Throws TraceQLError (a 400) with the line and column. */
export function parseQuery(query: string): PipelineNode {
  const ast = parseSyntax(query);
  const deep = tooDeepAt(ast);
  if (deep !== undefined) throw errorAt(`query nested deeper than ${MAX_AST_HEIGHT} levels`, deep.pos);
  checkQuery(ast);
  return ast;
}
