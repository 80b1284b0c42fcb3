import type { Component, ComponentKind } from '../component.ts';
import type { Logger } from 'pino';

/** One running instance in the pipeline graph. */
export interface GraphNode {
  readonly kind: ComponentKind;
  readonly id: string;
  /** Set for processors, which are instantiated per pipeline. */
  readonly pipeline?: string;
  readonly component: Component;
  readonly logger: Logger;
}

/** `exporter 'debug'`, `processor 'batch' in pipeline 'traces/2'`. */
export function describeNode(node: Pick<GraphNode, 'kind' | 'id' | 'pipeline'>): string {
  const base = `${node.kind} '${node.id}'`;
  return node.pipeline === undefined ? base : `${base} in pipeline '${node.pipeline}'`;
}
