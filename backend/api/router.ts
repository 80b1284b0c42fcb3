import type { IncomingHttpHeaders } from 'node:http';
import { BadRequestError } from '../../pipeline/errors.ts';

export interface ApiRequest {
  /** Path parameters, percent-decoded. */
  readonly params: Readonly<Record<string, string>>;
  /** Decodes both `%20` and `+` as a space. */
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  /** Aborted when the client goes away before the reply is written: work done for it can stop. */
  readonly signal: AbortSignal;
}

/** What a handler returns; the server writes it. Error bodies are plain text. */
export interface ApiResponse {
  readonly status: number;
  readonly contentType?: string;
  readonly body?: string | Uint8Array;
  readonly headers?: Readonly<Record<string, string>>;
}

export type Handler = (req: ApiRequest) => Promise<ApiResponse> | ApiResponse;

/** A GET route. `path` segments starting with `:` match one non-empty segment, e.g. `/api/traces/:traceId`. */
export interface Route {
  readonly path: string;
  readonly handler: Handler;
}

export interface RouteMatch {
  readonly route: Route;
  readonly params: Record<string, string>;
}

/** Exact segment matching, first route wins; no regexes, no trailing-slash magic. */
export class Router {
  readonly #routes: { route: Route; segments: string[] }[];

  constructor(routes: readonly Route[]) {
    this.#routes = routes.map((route) => ({ route, segments: route.path.split('/') }));
  }

  /** The route for a raw (still percent-encoded) path; BadRequestError on a malformed escape. */
  match(rawPath: string): RouteMatch | undefined {
    const parts = rawPath.split('/');
    for (const { route, segments } of this.#routes) {
      const params = matchSegments(segments, parts);
      if (params !== undefined) return { route, params };
    }
    return undefined;
  }
}

function matchSegments(segments: readonly string[], parts: readonly string[]): Record<string, string> | undefined {
  if (segments.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    const part = parts[i]!;
    if (segment.startsWith(':')) {
      if (part === '') return undefined;
      params[segment.slice(1)] = decodeSegment(part);
    } else if (decodeSegment(part) !== segment) {
      return undefined;
    }
  }
  return params;
}

function decodeSegment(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch (err) {
    throw new BadRequestError(`invalid URL escape in path segment ${JSON.stringify(part)}`, { cause: err });
  }
}
