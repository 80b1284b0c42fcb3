import {
  parseTagNamesRequest, parseTagValuesRequest, parseTagValuesV2Request,
} from '../search/tag-request.ts';
import { tagNamesV1, tagNamesV2, tagValuesV1, tagValuesV2 } from '../search/tag-response.ts';
import type { TagService } from '../search/tag-service.ts';
import { jsonReply } from './replies.ts';
import type { TenantOf } from './request-tenant.ts';
import type { ApiRequest, ApiResponse, Route } from './router.ts';
import { querierForwarder, type QuerierForwardingDeps } from './querier-forwarder.ts';

/**
 * Grafana's Go backend joins a tag name into the path raw, so `span.a/b` arrives as `…/tag/span.a/b/values`;
 * Tempo takes everything between `/tag/` and the last `/values`. The router matches whole segments, so names
 * of up to this many segments get a route each.
 */
const MAX_NAME_SEGMENTS = 4;

export interface TagRoutesDeps {
  readonly tags: TagService;
  readonly tenantOf: TenantOf;
}

/** The four tag endpoints, given what each does with its request. */
interface TagEndpoints {
  readonly names: (req: ApiRequest) => Promise<ApiResponse>;
  readonly namesV2: (req: ApiRequest) => Promise<ApiResponse>;
  readonly values: (req: ApiRequest, name: string) => Promise<ApiResponse>;
  readonly valuesV2: (req: ApiRequest, name: string) => Promise<ApiResponse>;
}

/** The tag routes answered by this process (tempo-api.md sections 5 and 6): tenant first, then the parameters. */
export function tagRoutes(deps: TagRoutesDeps): Route[] {
  const { tags, tenantOf } = deps;
  return routesFor({
    names: async (req) => jsonReply(200, await tagNamesV1(tags, tenantOf(req.headers), parseTagNamesRequest(req.query, false), req.signal)),
    namesV2: async (req) => jsonReply(200, await tagNamesV2(tags, tenantOf(req.headers), parseTagNamesRequest(req.query, true), req.signal)),
    values: async (req, name) => jsonReply(200, await tagValuesV1(tags, tenantOf(req.headers), parseTagValuesRequest(name, req.query), req.signal)),
    valuesV2: async (req, name) => jsonReply(200, await tagValuesV2(tags, tenantOf(req.headers), parseTagValuesV2Request(name, req.query), req.signal)),
  });
}

/**
 * The tag routes of a query-frontend that sends work to queriers: checked here (tenant, parameters, 400s),
 * then forwarded whole to one querier, as searches are.
 */
export function forwardedTagRoutes(deps: QuerierForwardingDeps): Route[] {
  const forward = querierForwarder(deps);
  const { tenantOf } = deps;
  const valuesPath = (version: string, name: string): string => `/api${version}/search/tag/${encodeURIComponent(name)}/values`;
  return routesFor({
    names: (req) => forward(tenantOf(req.headers), '/api/search/tags', req.query, () => parseTagNamesRequest(req.query, false)),
    namesV2: (req) => forward(tenantOf(req.headers), '/api/v2/search/tags', req.query, () => parseTagNamesRequest(req.query, true)),
    values: (req, name) => {
      const tenant = tenantOf(req.headers);
      const parsed = parseTagValuesRequest(name, req.query);
      return forward(tenant, valuesPath('', parsed.name), req.query, () => parsed);
    },
    valuesV2: (req, name) => {
      const tenant = tenantOf(req.headers);
      const parsed = parseTagValuesV2Request(name, req.query);
      return forward(tenant, valuesPath('/v2', parsed.name), req.query, () => parsed);
    },
  });
}

function routesFor(endpoints: TagEndpoints): Route[] {
  const routes: Route[] = [
    { path: '/api/search/tags', handler: endpoints.names },
    { path: '/api/v2/search/tags', handler: endpoints.namesV2 },
  ];
  for (let n = 1; n <= MAX_NAME_SEGMENTS; n++) {
    const params = Array.from({ length: n }, (_, i) => `n${i}`);
    const name = (req: ApiRequest): string => params.map((p) => req.params[p]!).join('/');
    const pattern = params.map((p) => `:${p}`).join('/');
    routes.push({ path: `/api/search/tag/${pattern}/values`, handler: (req) => endpoints.values(req, name(req)) });
    routes.push({ path: `/api/v2/search/tag/${pattern}/values`, handler: (req) => endpoints.valuesV2(req, name(req)) });
  }
  return routes;
}
