import assert from 'node:assert/strict';
import { ConfigError } from '../../../pipeline/errors.ts';
import { BYTES_PATTERN, DURATION_PATTERN, parseBytes, parseDuration } from '../../../pipeline/config/units.ts';

describe('parseDuration', () => {
  it('reads Go durations as milliseconds', () => {
    assert.equal(parseDuration('200ms'), 200);
    assert.equal(parseDuration('5s'), 5000);
    assert.equal(parseDuration('1m30s'), 90_000);
    assert.equal(parseDuration('1h'), 3_600_000);
    assert.equal(parseDuration('1.5s'), 1500);
    assert.equal(parseDuration('250us'), 0.25);
    assert.equal(parseDuration('0'), 0);
  });

  it('reads numbers as nanoseconds, as Go time.Duration does', () => {
    assert.equal(parseDuration(2_000_000), 2);
  });

  it('refuses text without units or with unknown ones', () => {
    for (const bad of ['5', '', 's', '1d', '5 s', '-1s']) assert.throws(() => parseDuration(bad), ConfigError, bad);
  });

  it('agrees with DURATION_PATTERN', () => {
    const re = new RegExp(DURATION_PATTERN, 'u');
    for (const ok of ['0', '200ms', '1m30s', '1.5h', '10µs']) assert.ok(re.test(ok), ok);
    for (const bad of ['5', '1d', '5 s', 'ms']) assert.ok(!re.test(bad), bad);
  });
});

describe('parseBytes', () => {
  it('reads binary and decimal units in any case, and plain numbers', () => {
    assert.equal(parseBytes('100MiB'), 100 * 1024 * 1024);
    assert.equal(parseBytes('512KiB'), 524_288);
    assert.equal(parseBytes('1GB'), 1e9);
    assert.equal(parseBytes('10 mb'), 1e7);
    assert.equal(parseBytes('1.5Ki'), 1536);
    assert.equal(parseBytes('42'), 42);
    assert.equal(parseBytes(42), 42);
  });

  it('refuses anything else', () => {
    for (const bad of ['lots', '1XB', '-1', '']) assert.throws(() => parseBytes(bad), ConfigError, bad);
    assert.throws(() => parseBytes(1.5), ConfigError);
  });

  it('agrees with BYTES_PATTERN', () => {
    const re = new RegExp(BYTES_PATTERN, 'u');
    for (const ok of ['100MiB', '1GB', '10 mb', '42']) assert.ok(re.test(ok), ok);
    for (const bad of ['lots', '1XB', '-1']) assert.ok(!re.test(bad), bad);
  });
});
