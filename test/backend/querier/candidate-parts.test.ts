import assert from 'node:assert/strict';
import { CandidatePartsWriter, readCandidateParts } from '../../../backend/querier/candidate-parts.ts';

describe('candidate parts', () => {
  it('round-trips trace IDs and parts in order, empty parts included', () => {
    const parts: [string, string][] = [['aa'.repeat(16), 'first'], ['bb'.repeat(16), ''], ['aa'.repeat(16), 'second part']];
    const writer = new CandidatePartsWriter();
    for (const [id, trace] of parts) writer.add(Buffer.from(id, 'hex'), Buffer.from(trace));
    const read: [string, string][] = [];
    readCandidateParts(writer.bytes(), (id, trace) => read.push([Buffer.from(id).toString('hex'), Buffer.from(trace).toString()]));
    assert.deepEqual(read, parts);
  });

  it('refuses a truncated body', () => {
    const writer = new CandidatePartsWriter();
    writer.add(Buffer.alloc(16, 1), Buffer.from('trace bytes'));
    const bytes = writer.bytes();
    assert.throws(() => readCandidateParts(bytes.subarray(0, bytes.length - 1), () => undefined), /truncated record/);
    assert.throws(() => readCandidateParts(bytes.subarray(0, 10), () => undefined), /truncated record header/);
  });
});
