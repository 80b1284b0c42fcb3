import assert from 'node:assert/strict';
import { AttributeColumnBuilder, AttributeColumnReader } from '../../../backend/block/attribute-column.ts';
import { ByteSink } from '../../../backend/block/byte-sink.ts';
import { ByteSource } from '../../../backend/block/byte-source.ts';
import { BytesDict, readDict } from '../../../backend/block/bytes-dict.ts';
import { StringColumnBuilder, StringColumnReader } from '../../../backend/block/string-column.ts';
import { ProtoReader } from '../../../pipeline/otlp/proto-reader.ts';
import { ProtoWriter } from '../../../pipeline/otlp/proto-writer.ts';

const halves = (v: bigint): [number, number] => [Number(BigInt.asUintN(64, v) & 0xffffffffn), Number(BigInt.asUintN(64, v) >> 32n)];
const fromHalves = (lo: number, hi: number): bigint => (BigInt(hi) << 32n) | BigInt(lo);
const utf8 = (s: string) => new TextEncoder().encode(s);

describe('ByteSink and ByteSource', () => {
  it('round-trip unsigned and zigzag 64-bit varints at every edge', () => {
    const values = [0n, 1n, 127n, 128n, 2n ** 31n - 1n, 2n ** 32n, 2n ** 53n + 1n, 2n ** 63n, 2n ** 64n - 1n];
    const signed = [0n, -1n, 1n, -(2n ** 63n), 2n ** 63n - 1n, -1234567890123n];
    const sink = new ByteSink(4);
    for (const v of values) sink.u64(...halves(v));
    for (const v of signed) sink.z64(...halves(v));
    sink.u(2 ** 53 - 1);
    const src = new ByteSource(sink.view());
    for (const v of values) {
      src.u64();
      assert.equal(fromHalves(src.lo, src.hi), v);
    }
    for (const v of signed) {
      src.z64();
      assert.equal(BigInt.asIntN(64, fromHalves(src.lo, src.hi)), v);
    }
    assert.equal(src.u(), 2 ** 53 - 1);
    assert.ok(src.done());
  });

  it('writes 64-bit varints the way protobuf reads them', () => {
    const sink = new ByteSink();
    sink.u64(...halves(-5n));
    assert.equal(new ProtoReader(sink.view()).varintBig(), BigInt.asUintN(64, -5n));
  });

  it('refuses to read past the end of a stream', () => {
    assert.throws(() => new ByteSource(Uint8Array.from([0x80])).u(), /cut short/);
    assert.throws(() => new ByteSource(Uint8Array.from([3, 1])).bytes(), /cut short/);
  });
});

describe('BytesDict', () => {
  it('gives each distinct byte string one id, in order of first appearance, across growth', () => {
    const dict = new BytesDict();
    const words = Array.from({ length: 5000 }, (_, i) => utf8(`value-${i % 1500}`));
    const ids = words.map((w) => dict.id(w, 0, w.length));
    assert.equal(dict.count, 1500);
    assert.deepEqual(ids.slice(0, 3), [0, 1, 2]);
    assert.equal(ids[1500], 0);
    const sink = new ByteSink();
    dict.writeTo(sink);
    const entries = readDict(new ByteSource(sink.view()));
    assert.deepEqual(new TextDecoder().decode(entries[1499]), 'value-1499');
  });
});

describe('StringColumnBuilder', () => {
  it('keeps repeated values as a dictionary and mostly distinct ones plain, both read back in order', () => {
    const repeated = Array.from({ length: 3000 }, (_, i) => utf8(['GET', 'POST', ''][i % 3]));
    const distinct = Array.from({ length: 3000 }, (_, i) => utf8(`/api/orders/${i}`));
    for (const [values, dictionary] of [[repeated, true], [distinct, false]] as const) {
      const builder = new StringColumnBuilder();
      for (const v of values) builder.add(v, 0, v.length);
      const sink = new ByteSink();
      builder.writeTo(sink);
      const reader = new StringColumnReader(new ByteSource(sink.view()));
      assert.equal(reader.dictionary !== undefined, dictionary);
      assert.deepEqual(reader.next(), values[0]);
      reader.skip(1000);
      for (const v of values.slice(1001)) assert.deepEqual(reader.next(), v);
    }
  });
});

describe('AttributeColumnBuilder', () => {
  it('gives back doubles bit for bit, short decimals included', () => {
    const doubles = [19.99, 0.1 + 0.2, -0, 0, NaN, Infinity, -Infinity, 5e-324, 1e300, 2 ** 60, -3.5, 123456.789, 1 / 3];
    const builder = new AttributeColumnBuilder();
    for (const d of doubles) {
      const bytes = new Uint8Array(new Float64Array([d]).buffer);
      builder.addDouble(bytes, 0);
    }
    const sink = new ByteSink();
    builder.writeTo(sink);
    const reader = new AttributeColumnReader(sink.view());
    reader.skip(1);
    for (const d of doubles.slice(1)) {
      const w = new ProtoWriter();
      reader.writeNext(w);
      const bytes = w.finish();
      // KeyValue field 2 (AnyValue, length 9) holding double_value (field 4, fixed64).
      assert.deepEqual([...bytes.subarray(0, 3)], [0x12, 9, 0x21]);
      assert.ok(Object.is(bytes.readDoubleLE(3), d), String(d));
    }
  });
});
