import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { decodeMessage } from '../test/integration/trace-proto.ts';
import { buildRequest, TraceIdSource, type RequestShape } from './load-request.ts';
import { Pacer } from './pacer.ts';


/**
 * OTLP/HTTP protobuf load: `connections` loops, each posting its own prebuilt request (load-request.ts)
 * back to back, counting only what was acknowledged with 200.
 */

export interface PostResult {
  readonly status: number;
  readonly ms: number;
  /** Connection error code, or the start of the body of a non-200 answer. */
  readonly error?: string;
}

/** The message of an OTLP error body: a google.rpc.Status (protobuf) or text. */
function errorText(body: Buffer, contentType: string | undefined): string {
  if (contentType?.includes('protobuf')) {
    try {
      return String(decodeMessage('RpcStatus', body).message ?? '');
    } catch {
      // not a Status after all: show it as text
    }
  }
  return body.toString('latin1').replace(/[^\x20-\x7e]+/g, ' ').trim().slice(0, 120);
}

export function post(url: string, body: Buffer, agent?: Agent): Promise<PostResult> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const req = request(url, {
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/x-protobuf', 'content-length': body.length },
    }, (res) => {
      const status = res.statusCode ?? 0;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => { if (status !== 200) chunks.push(c); });
      res.once('end', () => {
        const ms = performance.now() - t0;
        if (status === 200) resolve({ status, ms });
        else resolve({ status, ms, error: errorText(Buffer.concat(chunks), res.headers['content-type']) });
      });
    });
    req.once('error', (err: NodeJS.ErrnoException) => resolve({ status: 0, ms: performance.now() - t0, error: err.code ?? err.message }));
    req.end(body);
  });
}

export interface LoadOptions {
  readonly url: string;
  readonly connections: number;
  readonly seconds: number;
  readonly shape: RequestShape;
  /** Spans per second to offer in all; unset = as fast as the server acknowledges. */
  readonly rate?: number;
}

export interface LoadResult {
  readonly seconds: number;
  readonly okRequests: number;
  readonly okSpans: number;
  readonly okBytes: number;
  /** Non-200 answers and connection errors: count by status or error code. */
  readonly refused: ReadonlyMap<string, number>;
  /** The first message seen for each key of `refused`. */
  readonly refusedSample: ReadonlyMap<string, string>;
  /** Latency of every 200-acknowledged request, ms. */
  readonly latenciesMs: readonly number[];
  readonly clientCpuSeconds: number;
}

/** `connections` loops, each with its own buffer, posting back to back until the time is up. */
export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: opts.connections });
  const ids = new TraceIdSource();
  const refused = new Map<string, number>();
  const refusedSample = new Map<string, string>();
  const latenciesMs: number[] = [];
  let okRequests = 0;
  let okSpans = 0;
  let okBytes = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const deadline = t0 + opts.seconds * 1000;
  const pacer = opts.rate === undefined ? undefined : new Pacer(opts.rate / opts.shape.spans);
  const loop = async (): Promise<void> => {
    const req = buildRequest(opts.shape);
    while (performance.now() < deadline) {
      await pacer?.next();
      ids.stamp(req);
      const r = await post(opts.url, req.body, agent);
      if (r.status === 200) {
        okRequests++;
        okSpans += req.spans;
        okBytes += req.body.length;
        latenciesMs.push(r.ms);
      } else {
        const k = r.status === 0 ? (r.error ?? 'error') : String(r.status);
        refused.set(k, (refused.get(k) ?? 0) + 1);
        if (!refusedSample.has(k)) refusedSample.set(k, r.error ?? '');
        await sleep(10); // refused (429/503) or broken: back off a little instead of spinning
      }
    }
  };
  await Promise.all(Array.from({ length: opts.connections }, loop));
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  agent.destroy();
  return { seconds, okRequests, okSpans, okBytes, refused, refusedSample, latenciesMs, clientCpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
