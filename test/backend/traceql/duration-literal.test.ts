import assert from 'node:assert/strict';
import { formatDuration, parseDurationLiteral } from '../../../backend/traceql/duration-literal.ts';

describe('parseDurationLiteral', () => {
  const cases: Array<[string, number | undefined]> = [
    ['1ns', 1], ['10us', 10_000], ['10µs', 10_000], ['10μs', 10_000], ['1ms', 1e6], ['1.5s', 1.5e9],
    ['2m', 120e9], ['1h', 3600e9], ['1h30m', 5400e9], ['1d', 86400e9], ['1w', 604800e9], ['1y', 365 * 86400e9],
    ['.5s', 0.5e9], ['1m30s500ms', 90.5e9], ['0s', 0],
    ['1', undefined], ['1x', undefined], ['1.5d', undefined], ['s', undefined], ['', undefined], ['1s2', undefined],
  ];
  for (const [text, nanos] of cases) {
    it(`reads ${JSON.stringify(text)} as ${nanos ?? 'not a duration'}`, () => {
      assert.equal(parseDurationLiteral(text), nanos);
    });
  }
});

describe('formatDuration', () => {
  const cases: Array<[number, string]> = [
    [0, '0s'], [500, '500ns'], [1500, '1.5µs'], [2e6, '2ms'], [1.5e9, '1.5s'], [90e9, '1m30s'], [3600e9, '1h0m0s'],
    [-2e6, '-2ms'],
  ];
  for (const [nanos, text] of cases) {
    it(`writes ${nanos} ns as ${text}`, () => assert.equal(formatDuration(nanos), text));
  }
});
