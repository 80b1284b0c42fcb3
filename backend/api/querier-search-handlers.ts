import { BadRequestError } from '../../pipeline/errors.ts';
import { QUERIER_SEARCH_BLOCKS_PATH, QUERIER_SEARCH_PATH } from '../frontend/remote-search-jobs.ts';
import { parseBlockId } from '../querier/block-id-range.ts';
import type { SearchJobService, SearchJobSpec } from '../search/search-job-service.ts';
import { parseSearchRequest } from '../search/search-request.ts';
import { jsonReply } from './replies.ts';
import type { TenantOf } from './request-tenant.ts';
import type { Route } from './router.ts';
import { parseTimeRange } from './time-range.ts';

export interface QuerierSearchDeps {
  readonly jobs: SearchJobService;
  readonly tenantOf: TenantOf;
  /** A job still running after this is abandoned (its frontend has given up by then). */
  readonly timeoutMs: number;
}

/**
 * The querier's internal search routes, asked by a query-frontend (frontend/remote-search-jobs.ts):
 * - `GET /querier/api/search/blocks[?start&end]`: `{"blocks":[{blockID,endTime,size}]}`, what it plans with;
 * - `GET /querier/api/search?<search parameters>&mode=ingesters|blocks&blocks=<id>,<id>`: one job's
 *   SearchJobResult as JSON (its newest `limit` traces, inspected traces and bytes). No limits apply here:
 *   the frontend checked them.
 */
export function querierSearchRoutes(deps: QuerierSearchDeps): Route[] {
  return [
    {
      path: QUERIER_SEARCH_BLOCKS_PATH,
      handler: async (req) => jsonReply(200, { blocks: await deps.jobs.searchBlockRefs(deps.tenantOf(req.headers), parseTimeRange(req.query)) }),
    },
    {
      path: QUERIER_SEARCH_PATH,
      handler: async (req) => {
        const tenant = deps.tenantOf(req.headers);
        const request = parseSearchRequest(req.query);
        const spec = parseJobSpec(req.query);
        return jsonReply(200, await deps.jobs.runSearchJob(tenant, spec, request, AbortSignal.any([req.signal, AbortSignal.timeout(deps.timeoutMs)])));
      },
    },
  ];
}

/** `mode=ingesters`, or `mode=blocks&blocks=<id>,<id>`: the job a frontend names; BadRequestError otherwise. */
export function parseJobSpec(query: URLSearchParams): SearchJobSpec {
  const mode = query.get('mode') ?? '';
  if (mode === 'ingesters') return { kind: 'live' };
  if (mode !== 'blocks') throw new BadRequestError(`invalid mode ${JSON.stringify(mode)}: expected ingesters or blocks`);
  const ids = (query.get('blocks') ?? '').split(',').filter((id) => id !== '');
  return { kind: 'blocks', blockIDs: ids.map((id) => parseBlockId(id, 'blocks')) };
}
