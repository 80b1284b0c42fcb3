import { ConfigError } from '../../pipeline/errors.ts';

/**
 * Which (tenant, compaction window) shards this compactor works on: compaction, retention and clean-up of
 * the blocks whose end time falls in the window. `windowStart` is the window's start in unix seconds;
 * tenant-wide chores (orphan collection) belong to the owner of TENANT_CHORES_WINDOW.
 */
export interface ShardOwner {
  owns(tenant: string, windowStart: number): boolean;
}

export const TENANT_CHORES_WINDOW = 0;

/** A single compactor: everything is its own. */
export const allShards: ShardOwner = Object.freeze({ owns: () => true });

/**
 * Instance `instanceIndex` of `instanceCount` compactors with the same count owns the shards whose hash falls
 * to it: a stable split with no coordination. While instances disagree on the count (a rollout), shards may
 * be owned twice for a while; deterministic output IDs keep that safe (see compact-job.ts).
 */
export function hashShards(instanceIndex: number, instanceCount: number): ShardOwner {
  if (!Number.isSafeInteger(instanceCount) || instanceCount < 1) throw new ConfigError(`compactor instance count ${instanceCount} must be a positive integer`);
  if (!Number.isSafeInteger(instanceIndex) || instanceIndex < 0 || instanceIndex >= instanceCount) {
    throw new ConfigError(`compactor instance index ${instanceIndex} must be in [0, ${instanceCount})`);
  }
  return Object.freeze({ owns: (tenant: string, windowStart: number) => shardHash(`${tenant}/${windowStart}`) % instanceCount === instanceIndex });
}

/** FNV-1a over the UTF-16 code units, then a final avalanche so nearby windows spread over instances. */
function shardHash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}
