import { generateCorpus, type CorpusEvent, type CorpusLink, type CorpusSpan } from './search-corpus.ts';

/**
 * The search corpus with everything TraceQL can ask about: more services with resource attributes of every
 * type and a scope each, all span kinds (unspecified included), status messages, array attributes, negative
 * and escaped values, events and links (to spans of earlier traces). Deterministic for a seed.
 */

const EXTRA_SERVICES = ['cart', 'payment', 'email', 'ad-service'] as const;
const ENVIRONMENTS = ['prod', 'staging'] as const;

/** Per service: the same resource and scope on every span, so the request can group spans by service. */
function serviceIdentity(service: string, index: number): Pick<CorpusSpan, 'resource' | 'scope'> {
  return {
    resource: {
      'deployment.environment': ENVIRONMENTS[index % 2]!, 'host.cpus': 2 + index * 2,
      'k8s.ready': index % 3 !== 2, 'cloud.weight': 0.5 + index / 4, 'service.version': `1.${index}.0`,
    },
    scope: { name: `io.tracelake.${service}`, version: index % 2 === 0 ? '1.0.0' : '2.1.0' },
  };
}

const SERVICE_INDEX = new Map<string, number>(['frontend', 'checkout', 'db', 'x', ...EXTRA_SERVICES].map((s, i) => [s, i]));

export interface RichCorpusOptions {
  readonly traces: number;
  readonly seed: number;
  readonly nowMs: number;
  readonly oldEvery?: number;
}

/** generateCorpus's traces, enriched (see above). */
export function generateRichCorpus(options: RichCorpusOptions): CorpusSpan[][] {
  let state = (options.seed * 7919 + 17) >>> 0;
  const rand = (): number => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const plain = generateCorpus(options);
  return plain.map((trace, t) => trace.map((s, i): CorpusSpan => {
    const service = i > 0 && rand() < 0.4 ? pick(EXTRA_SERVICES) : s.service;
    const attributes: Record<string, string | number | boolean> = { ...s.attributes };
    if (rand() < 0.3) attributes['delta'] = Math.floor(rand() * 101) - 50;
    if (rand() < 0.1) attributes['note'] = pick(['say "hi"', 'tab\there', 'back\\slash']);
    if (rand() < 0.2) attributes['ratio'] = -Math.round(rand() * 500) / 100;
    const arrays: Record<string, (string | number | boolean)[]> = {};
    if (rand() < 0.3) arrays['tags'] = pick([['a'], ['a', 'b'], ['b', 'c']]);
    if (rand() < 0.2) arrays['codes'] = pick([[1, 2], [3], [2, 5, 8]]);
    const events: CorpusEvent[] = [];
    if (rand() < 0.25) {
      events.push({ name: pick(['exception', 'retry']), offsetNanos: BigInt(Math.floor(rand() * 400_000)), attributes: { 'exception.type': pick(['Timeout', 'IO']) } });
    }
    const links: CorpusLink[] = [];
    const earlier = t > 0 ? plain[Math.floor(rand() * t)]![0]! : undefined;
    if (earlier !== undefined && rand() < 0.2) links.push({ traceId: earlier.traceId, spanId: earlier.spanId, attributes: { 'link.kind': pick(['follows', 'caused-by']) } });
    const kind = rand() < 0.15 ? 0 : s.kind;
    return {
      ...s, service, kind, attributes, ...serviceIdentity(service, SERVICE_INDEX.get(service)!),
      ...(s.statusCode === 2 ? { statusMessage: pick(['card declined', 'timeout', '']) } : {}),
      ...(Object.keys(arrays).length > 0 ? { arrays } : {}),
      ...(events.length > 0 ? { events } : {}),
      ...(links.length > 0 ? { links } : {}),
    };
  }));
}
