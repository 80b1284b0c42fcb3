import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

export type PathSegment = string | number;

/** Where a finding points: the key of the last path segment, its value, or the key of its parent. */
export type Anchor = 'key' | 'value' | 'parent';

/** A problem before it has a position: a path into the config and what to point at. */
export interface Finding {
  readonly path: readonly PathSegment[];
  readonly message: string;
  readonly at: Anchor;
}

/** `exporters.tracelake.ingester.max_block_bytes`, `service.pipelines.traces.receivers[0]`. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out === '' ? seg : `.${seg}`;
  return out;
}

/** Finds line:col for a path in a parsed document; falls back to the deepest part of the path present. */
export class YamlLocator {
  readonly #doc: Document;
  readonly #lines: LineCounter;

  constructor(doc: Document, lines: LineCounter) {
    this.#doc = doc;
    this.#lines = lines;
  }

  position(offset: number): { line: number; col: number } {
    return this.#lines.linePos(offset);
  }

  locate(path: readonly PathSegment[], at: Anchor): { line: number; col: number } {
    const target = at === 'parent' ? path.slice(0, -1) : path;
    let node = this.#resolve(this.#doc.contents);
    let keyOffset: number | undefined;
    let valueOffset: number | undefined = node?.range?.[0];
    for (const seg of target) {
      const step = this.#child(node, seg);
      if (step === undefined) return this.position(keyOffset ?? valueOffset ?? 0);
      keyOffset = step.keyOffset;
      node = step.node;
      valueOffset = node && !isNullScalar(node) ? node.range?.[0] : undefined;
    }
    const offset = at === 'value' ? valueOffset ?? keyOffset : keyOffset ?? valueOffset;
    return this.position(offset ?? 0);
  }

  #child(node: Node | null, seg: PathSegment): { node: Node | null; keyOffset?: number } | undefined {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (pair === undefined) return undefined;
      const key = pair.key as Node;
      return { node: this.#resolve(pair.value as Node | null), keyOffset: key.range?.[0] };
    }
    if (isSeq(node) && typeof seg === 'number' && seg < node.items.length) {
      const item = this.#resolve(node.items[seg] as Node | null);
      return { node: item, keyOffset: item?.range?.[0] };
    }
    return undefined;
  }

  #resolve(node: unknown): Node | null {
    if (isAlias(node)) return (node.resolve(this.#doc) as Node | undefined) ?? null;
    return (node as Node | null | undefined) ?? null;
  }
}

function isNullScalar(node: Node): boolean {
  return isScalar(node) && node.value === null && node.source === '';
}
