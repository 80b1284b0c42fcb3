import assert from 'node:assert/strict';
import { queryToString } from '../../../backend/traceql/ast-string.ts';
import { tagFilter } from '../../../backend/search/tag-filter.ts';

describe('tagFilter', function () {
  it('filters nothing for an empty q or {}', function () {
    assert.equal(tagFilter(''), undefined);
    assert.equal(tagFilter('{}'), undefined);
    assert.equal(tagFilter(' { } '), undefined);
  });

  it('parses a valid query whole', function () {
    const f = tagFilter('{ resource.service.name = "a" } >> { status = error }');
    assert.notEqual(f, undefined);
    assert.equal(f!.stages.length, 1);
    assert.equal(f!.stages[0]!.kind, 'spansetOp');
  });

  it('keeps the valid conditions of an incomplete query', function () {
    const f = tagFilter('{ span.foo = "bar" && resource.cluster = }');
    assert.notEqual(f, undefined);
    assert.equal(queryToString(f!), queryToString(tagFilter('{ span.foo = "bar" }')!));
  });

  it('reads the conditions of a filter still being typed (no closing brace)', function () {
    assert.equal(queryToString(tagFilter('{ .a = 1 && ')!), queryToString(tagFilter('{ .a = 1 }')!));
  });

  it('ignores an invalid query without any valid condition', function () {
    assert.equal(tagFilter('{ resource.cluster = }'), undefined);
    assert.equal(tagFilter('nonsense'), undefined);
  });
});
