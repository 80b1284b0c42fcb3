import assert from 'node:assert/strict';
import { goFormatFloat, goQuote, traceqlFloat } from '../../../backend/metrics/go-format.ts';
import { labelsJson, promLabels } from '../../../backend/metrics/series-labels.ts';

describe('goFormatFloat', () => {
  it('writes Go\'s shortest %g form', () => {
    assert.deepEqual([0.5, 100000, 1048576, 0.001048576, 1.024e-6, 1e-5, 0.0001].map(goFormatFloat),
      ['0.5', '100000', '1.048576e+06', '0.001048576', '1.024e-06', '1e-05', '0.0001']);
    assert.equal(traceqlFloat(1), '1.0');
    assert.equal(traceqlFloat(2.5), '2.5');
  });

  it('quotes as strconv.Quote', () => {
    assert.equal(goQuote('a"b\\c\n\x01é'), '"a\\"b\\\\c\\n\\x01é"');
  });
});

describe('promLabels', () => {
  it('sorts names, quotes non-Prometheus names and writes typed values as text', () => {
    const text = promLabels([
      { key: 'span.http.status_code', value: { type: 'int', value: 200 } },
      { key: 'status', value: { type: 'status', value: 'error' } },
      { key: 'p', value: { type: 'float', value: 0.99 } },
      { key: '.ok', value: { type: 'bool', value: true } },
      { key: 'span.x', value: { type: 'string', value: '' } },
      { key: 'span.y', value: { type: 'nil' } },
      { key: 'duration', value: { type: 'duration', value: 1_500_000_000 } },
    ]);
    assert.equal(text, '{".ok"="true", duration="1.5s", p="0.99", "span.http.status_code"="200", "span.x"="<empty>", "span.y"="<nil>", status="error"}');
  });

  it('names an ungrouped series by its function', () => {
    assert.equal(promLabels([{ key: '__name__', value: { type: 'string', value: 'rate' } }]), '{__name__="rate"}');
  });
});

describe('labelsJson', () => {
  it('writes typed AnyValues, ints as strings, nil as the string nil, zeros omitted', () => {
    assert.deepEqual(labelsJson([
      { key: 'a', value: { type: 'int', value: 3 } },
      { key: 'b', value: { type: 'float', value: 0 } },
      { key: 'c', value: { type: 'nil' } },
      { key: 'd', value: { type: 'kind', value: 'server' } },
    ]), [
      { key: 'a', value: { intValue: '3' } },
      { key: 'b', value: {} },
      { key: 'c', value: { stringValue: 'nil' } },
      { key: 'd', value: { stringValue: 'server' } },
    ]);
  });
});
