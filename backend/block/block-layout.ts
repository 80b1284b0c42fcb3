import { PermanentError } from '../../pipeline/errors.ts';

/** tl1: zstd pages of encoded traces (data-pages.ts). tl2: row groups stored column by column (row-group-*.ts). */
export type BlockFormat = 'tl1' | 'tl2';
export const FORMAT_TL1 = 'tl1';
export const FORMAT_TL2 = 'tl2';
/** meta.format of blocks written by this code; readers read every format of READABLE_FORMATS. */
export const BLOCK_FORMAT: BlockFormat = FORMAT_TL2;
export const READABLE_FORMATS: ReadonlySet<string> = new Set([FORMAT_TL1, FORMAT_TL2]);
/** meta.dataEncoding: pages (tl1) or columns (tl2) of the data object are zstd frames. */
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
