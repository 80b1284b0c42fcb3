import type { IHeaders } from 'kafkajs';
import { PermanentError } from '../../pipeline/errors.ts';
import type { KafkaEncoding } from '../../pipeline/kafka/encoding.ts';
import { TENANT_HEADER } from '../../pipeline/kafka/tenant-header.ts';
import { decodeTraceRequest, type DecodedRequest } from '../../pipeline/otlp/decode-trace-request.ts';
import { otlpJsonToProtobuf } from '../../pipeline/otlp/json.ts';

const TENANT_HEADER_LOWER = TENANT_HEADER.toLowerCase();

/**
 * A record value as pipeline/kafka's unmarshalTraces reads it, but keeping the count of spans left out for
 * invalid IDs, so none is dropped without being counted. Throws PermanentError for an undecodable value.
 */
export function decodeRecordValue(value: Buffer | null, encoding: KafkaEncoding): DecodedRequest {
  if (value === null) throw new PermanentError('kafka record has no value');
  if (encoding === 'otlp_proto') return decodeTraceRequest(value);
  let json: unknown;
  try {
    json = JSON.parse(value.toString('utf8'));
  } catch (err) {
    throw new PermanentError(`kafka message is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  return decodeTraceRequest(otlpJsonToProtobuf(json));
}

/**
 * The tenant the producer attached (Tracelake's kafka exporter, or the Collector's with
 * `include_metadata_keys: [X-Scope-OrgID]`). Header names are matched ignoring case, as metadata keys are.
 */
export function tenantOf(headers: IHeaders | undefined): string | undefined {
  if (headers === undefined) return undefined;
  for (const [name, raw] of Object.entries(headers)) {
    if (name.toLowerCase() !== TENANT_HEADER_LOWER || raw === undefined) continue;
    const first = Array.isArray(raw) ? raw[0] : raw;
    const tenant = first === undefined ? '' : first.toString();
    if (tenant !== '') return tenant;
  }
  return undefined;
}
