import { BadRequestError } from '../../pipeline/errors.ts';

/** Block IDs from `start` to `end`, both included: canonical UUIDs (lowercase, hyphenated). */
export interface BlockIdRange {
  readonly start: string;
  readonly end: string;
}

export const FIRST_BLOCK_ID = '00000000-0000-0000-0000-000000000000';
export const LAST_BLOCK_ID = 'ffffffff-ffff-ffff-ffff-ffffffffffff';

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** The canonical form of a UUID given with or without hyphens, in any case; BadRequestError otherwise. */
export function parseBlockId(text: string, name: string): string {
  if (!UUID.test(text)) throw new BadRequestError(`invalid ${name}: ${JSON.stringify(text)} is not a UUID`);
  return blockIdFromHex(text.replaceAll('-', '').toLowerCase());
}

/** 32 lowercase hex digits as a hyphenated UUID. */
export function blockIdFromHex(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** Canonical UUIDs sort as their bytes do, so string comparison is byte order. */
export function inBlockIdRange(blockID: string, range: BlockIdRange): boolean {
  const id = blockID.toLowerCase();
  return range.start <= id && id <= range.end;
}
