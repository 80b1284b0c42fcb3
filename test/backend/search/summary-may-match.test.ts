import assert from 'node:assert/strict';
import type { RowGroupRef } from '../../../backend/block/row-group-index.ts';
import type { AttributeSummary, RowGroupSummary } from '../../../backend/block/row-group-summary.ts';
import { prefilterPlan } from '../../../backend/search/prefilter-plan.ts';
import { summaryMayMatch } from '../../../backend/search/summary-may-match.ts';
import { StringBloomBuilder, stringHash } from '../../../backend/block/string-bloom.ts';
import { parseQuery } from '../../../backend/traceql/parse-query.ts';

const INT = 1 << 4;
const DOUBLE = 1 << 5;
const STRING = 1 << 2;
const BOOL = 1 << 3;
const NONE = 1;

const ATTRIBUTES: [string, AttributeSummary][] = [
  ['span.attr:code', { tags: INT, ints: { min: 200, max: 404 } }],
  ['span.attr:neg', { tags: INT | NONE, ints: { min: -10, max: -5 } }],
  ['span.attr:one', { tags: INT, ints: { min: 5, max: 5 } }],
  ['span.attr:ratio', { tags: DOUBLE, doubles: { min: 0.5, max: 2.5 } }],
  ['span.attr:mixed', { tags: INT | STRING, ints: { min: 1, max: 2 } }],
  ['span.attr:flag', { tags: BOOL }],
];

function group(summary: Partial<RowGroupSummary> | undefined, extraColumns: string[] = []): RowGroupRef {
  const names = [...ATTRIBUTES.map(([name]) => name), 'span.attr:text', ...extraColumns];
  const full: RowGroupSummary = {
    duration: { min: 1e6, max: 2e9 }, statuses: 0b101, kinds: 1 << 2, attributes: new Map(ATTRIBUTES), ...summary,
  };
  return {
    firstId: new Uint8Array(16), lastId: new Uint8Array(16), offset: 0, length: 1, traces: 10, spans: 40, startMs: 0, endMs: 1,
    frames: [], columns: names.map((name) => ({ name, frame: 0, offset: 0, length: 1 })), ...(summary === undefined ? {} : { summary: full }),
  };
}

function may(q: string, g: RowGroupRef = group({})): boolean {
  return summaryMayMatch(g, prefilterPlan(parseQuery(q)));
}

function assertEach(queries: string[], expected: boolean, g?: RowGroupRef): void {
  for (const q of queries) assert.equal(may(q, g), expected, q);
}

describe('summaryMayMatch', () => {
  it('rules out a group by its duration range, keeping the ends and the values inside', () => {
    assertEach(['{ duration > 2s }', '{ duration < 1ms }', '{ duration = 3s }', '{ 2s < duration }', '{ duration > 2000000001ns }'], false);
    assertEach(['{ duration >= 2s }', '{ duration <= 1ms }', '{ duration = 1s }', '{ duration != 1ms }', '{ 2s <= duration }', '{ duration > 1999999999 }'], true);
  });

  it('keeps a group whose durations are unknown', () => {
    assert.equal(may('{ duration > 2s }', group({ duration: undefined })), true);
  });

  it('rules out a group by the statuses and kinds present', () => {
    // Statuses 0 (no status: unset) and 2 (ok); kind server.
    assertEach(['{ status = error }', '{ kind = client }', '{ kind = server && status = error }', '{ kind != server }'], false);
    assertEach(['{ status = unset }', '{ status = ok }', '{ status != ok }', '{ kind = server }', '{ kind = client || status = ok }'], true);
    assert.equal(may('{ status != ok }', group({ statuses: 0b100 })), false);
    assert.equal(may('{ kind = server }', group({ kinds: 2 ** 31 })), true, 'a kind beyond the mask may be anything');
  });

  it('rules out a group by an attribute\'s int range, ends and types included', () => {
    assertEach(['{ span.code >= 500 }', '{ span.code > 404 }', '{ span.code < 200 }', '{ span.code = 100 }', '{ span.code = "404" }',
      '{ span.code =~ "4.*" }', '{ span.neg > -5 }', '{ span.neg < -10 }', '{ span.one != 5 }', '{ 500 <= span.code }',
      '{ kind = server && span.code >= 500 }'], false);
    assertEach(['{ span.code >= 404 }', '{ span.code <= 200 }', '{ span.code = 404.0 }', '{ span.code = 300 }', '{ span.code != 5 }',
      '{ span.code != nil }', '{ span.code = nil }', '{ span.neg >= -5 }', '{ span.neg <= -10 }', '{ span.one = 5 }', '{ span.code < 200.5 }',
      '{ span.code > 403.9 }'], true);
  });

  it('rules out a group by an attribute\'s double range', () => {
    assertEach(['{ span.ratio > 2.5 }', '{ span.ratio > 3 }', '{ span.ratio < 0.5 }', '{ span.ratio = true }'], false);
    assertEach(['{ span.ratio >= 2.5 }', '{ span.ratio = 1 }', '{ span.ratio <= 0.5 }', '{ span.ratio != 2.5 }'], true);
  });

  it('keeps a group where a string, a bool or an unsummarised column may pass', () => {
    assertEach(['{ span.mixed >= 500 }', '{ span.text > 5 }', '{ span.text = "x" }', '{ span.flag = true }', '{ span.flag }', '{ !span.flag }'], true);
    assertEach(['{ span.flag > 3 }', '{ span.flag = "true" }'], false);
  });

  it('rules out a group lacking the attribute column, keeps one with keys that are not UTF-8', () => {
    assert.equal(may('{ span.absent = 1 }'), false);
    assert.equal(may('{ span.absent = 1 }', group({}, ['span.attr#3'])), true);
    assert.equal(may('{ span.code >= 500 }', group({}, ['span.attr#3'])), true);
  });

  it('keeps a group for resource and unscoped attributes, names and status messages', () => {
    assertEach(['{ .code >= 500 }', '{ resource.code >= 500 }', '{ name = "x" }', '{ statusMessage = "x" }'], true);
  });

  it('combines atoms and spansets with && and ||', () => {
    assertEach(['{ duration > 2s && span.code = 300 }', '{ duration > 2s } && { span.code = 300 }', '{ duration > 2s } >> { span.code = 300 }'], false);
    assertEach(['{ duration > 2s || span.code = 300 }', '{ duration > 2s } || { span.code = 300 }', '{ duration > 2s } !>> { span.code = 300 }'], true);
  });

  it('rules out a group by its span name and service name blooms, for equality with a string only', () => {
    const bloom = (...strings: string[]): Uint32Array => {
      const b = new StringBloomBuilder();
      for (const x of strings) b.add(stringHash(x));
      return b.finish()!;
    };
    const g = group({ names: bloom('GET /cart', 'render'), services: bloom('frontend', 'db') });
    assertEach(['{ name = "nope" }', '{ "nope" = name }', '{ resource.service.name = "cart" }', '{ .service.name = "cart" }', '{ name = "render" && resource.service.name = "x" }'], false, g);
    assertEach(['{ name = "render" }', '{ "GET /cart" = name }', '{ name != "render" }', '{ name =~ "nope" }', '{ name > "nope" }',
      '{ resource.service.name = "db" }', '{ .service.name = "frontend" }', '{ resource.service.name != "cart" }', '{ resource.other = "cart" }'], true, g);
    // A span attribute service.name (strings: no summary) may hold it.
    assert.equal(may('{ .service.name = "cart" }', group({ names: bloom('a'), services: bloom('db') }, ['span.attr:service.name'])), true);
    assert.equal(may('{ resource.service.name = "cart" }', group({ names: bloom('a'), services: bloom('db') }, ['span.attr:service.name'])), false);
  });

  it('keeps every group without a summary (version 1 index, traces kept as bytes)', () => {
    assertEach(['{ duration > 2s }', '{ status = error }', '{ span.code >= 500 }'], true, group(undefined));
  });
});
