import { PermanentError } from '../../pipeline/errors.ts';

/** meta.format of blocks written by this code; readers refuse other formats. */
export const BLOCK_FORMAT = 'tl1';
/** meta.dataEncoding: each page of the data object is one zstd frame. */
export const DATA_ENCODING = 'zstd';

/** Object names inside `<tenant>/<blockID>/`. meta.json is written last: a block without it does not exist. */
export const META_NAME = 'meta.json';
export const DATA_NAME = 'data';
export const INDEX_NAME = 'index';

export function bloomName(shard: number): string {
  return `bloom-${shard}`;
}

/** `<tenant>/<blockID>/<name>`; tenant and block IDs must be single key segments. */
export function blockObjectKey(tenantID: string, blockID: string, name: string): string {
  checkSegment('tenant ID', tenantID);
  checkSegment('block ID', blockID);
  return `${tenantID}/${blockID}/${name}`;
}

function checkSegment(what: string, value: string): void {
  if (value === '' || value === '.' || value === '..' || /[/\\\0]/.test(value)) {
    throw new PermanentError(`invalid ${what} ${JSON.stringify(value)}`);
  }
}
