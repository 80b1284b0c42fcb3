import { decodeTraceRequest } from '/work/main/pipeline/otlp/decode-trace-request.ts';
import { otlpJsonToProtobuf, protobufToJson } from '/work/main/pipeline/otlp/json.ts';
import { readFileSync } from 'node:fs';
const json = JSON.parse(readFileSync('/tmp/req.json', 'utf8'));
const pb = otlpJsonToProtobuf(json);
const mode = process.argv[2];
const t = Date.now(); let n = 0;
while (Date.now() - t < 4000) { for (let i = 0; i < 20; i++) { if (mode === 'json') protobufToJson(pb, 'TracesData', 'tempo'); else if (mode === 'j2p') otlpJsonToProtobuf(json); else decodeTraceRequest(pb); } n += 20; }
console.log(n);
