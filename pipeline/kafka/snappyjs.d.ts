/** snappyjs ships no types: raw Snappy blocks (no framing); Buffer in, Buffer out. */
declare module 'snappyjs' {
  const snappy: {
    compress(uncompressed: Buffer): Buffer;
    uncompress(compressed: Buffer, maxLength?: number): Buffer;
  };
  export default snappy;
}
