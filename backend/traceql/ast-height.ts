import type { FieldExpr, PipelineNode, SpansetExpr, Stage } from './ast.ts';

type Node = PipelineNode | Stage | FieldExpr;

/** Deeper ASTs are refused: type checking and evaluation recurse once or twice per level. */
export const MAX_AST_HEIGHT = 1000;

/** The node at which the AST first gets deeper than `limit`, or undefined. Iterative: any depth is safe. */
export function tooDeepAt(root: PipelineNode, limit = MAX_AST_HEIGHT): Node | undefined {
  const stack: Array<[Node, number]> = [[root, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth > limit) return node;
    for (const child of children(node)) stack.push([child, depth + 1]);
  }
  return undefined;
}

function children(n: Node): Node[] {
  switch (n.kind) {
    case 'pipeline': return [...n.stages];
    case 'spansetOp': return [n.lhs, n.rhs] as SpansetExpr[];
    case 'filter': return n.expr === undefined ? [] : [n.expr];
    case 'scalarFilter': return n.lhs.arg === undefined ? [n.rhs] : [n.lhs.arg, n.rhs];
    case 'by': return [n.expr];
    case 'select': return [...n.fields];
    case 'binary': return [n.lhs, n.rhs];
    case 'unary': return [n.operand];
    default: return [];
  }
}
