import type { Host } from '../component.ts';
import { TracelakeError } from '../errors.ts';
import { describeNode, type GraphNode } from './graph-node.ts';

/**
 * Starts nodes one by one in the given order, appending each to `started`. On a failure, stops those
 * already started (in reverse, emptying `started`) and rejects with the failure; problems while rolling
 * back are logged, the start failure is what matters.
 */
export async function startInOrder(nodes: readonly GraphNode[], host: Host, started: GraphNode[]): Promise<void> {
  for (const node of nodes) {
    try {
      if (host.signal.aborted) throw new TracelakeError('shutdown began before it started');
      await node.component.start(host);
    } catch (cause) {
      for (let s = started.pop(); s !== undefined; s = started.pop()) {
        const { logger } = s;
        await s.component.shutdown().catch((err: unknown) => logger.warn({ err }, 'component shutdown failed during rollback'));
      }
      throw new TracelakeError(`${describeNode(node)} failed to start`, { cause });
    }
    started.push(node);
    node.logger.info('component started');
  }
}

/** Stops every node in the given order, even after one fails; rejects afterwards naming each that failed. */
export async function shutdownInOrder(nodes: readonly GraphNode[]): Promise<void> {
  const failed: { node: GraphNode; error: unknown }[] = [];
  for (const node of nodes) {
    try {
      await node.component.shutdown();
      node.logger.info('component stopped');
    } catch (error) {
      failed.push({ node, error });
    }
  }
  if (failed.length === 0) return;
  const which = failed.map((f) => describeNode(f.node)).join(', ');
  throw new TracelakeError(`shutdown failed for ${which}`, {
    cause: failed.length === 1 ? failed[0]!.error : new AggregateError(failed.map((f) => f.error)),
  });
}
