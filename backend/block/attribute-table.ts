/** The attributes of the spans of one trace being written: parallel arrays of positions, reused per trace. */
export class AttributeTable {
  count = 0;
  keyAt: number[] = [];
  keyLen: number[] = [];
  tag: number[] = [];
  /** Where the value's payload starts (a bool's value itself). */
  valueAt: number[] = [];
  valueLen: number[] = [];

  push(keyAt: number, keyLen: number, tag: number, valueAt: number, valueLen: number): void {
    const i = this.count++;
    this.keyAt[i] = keyAt;
    this.keyLen[i] = keyLen;
    this.tag[i] = tag;
    this.valueAt[i] = valueAt;
    this.valueLen[i] = valueLen;
  }
}
