import { BadRequestError } from '../../pipeline/errors.ts';
import { FIRST_BLOCK_ID, LAST_BLOCK_ID, parseBlockId, type BlockIdRange } from '../querier/block-id-range.ts';
import type { QueryMode } from '../querier/querier.ts';
import type { TenantOf } from './request-tenant.ts';
import type { ApiRequest, Handler } from './router.ts';
import { parseTimeRange } from './time-range.ts';
import { traceByIdReply } from './trace-by-id-handlers.ts';
import { parseTraceId } from './trace-id.ts';
import type { QuerierLookup } from './trace-lookup.ts';

export interface QuerierTraceDeps {
  readonly lookup: QuerierLookup;
  readonly tenantOf: TenantOf;
}

const MODES: readonly QueryMode[] = ['all', 'ingesters', 'blocks'];

/**
 * `GET /querier/api/traces/:traceId?mode=ingesters|blocks|all&blockStart=<uuid>&blockEnd=<uuid>[&start&end]`,
 * Tempo's internal querier endpoint that query-frontend jobs ask: a TraceByIDResponse as v2 answers it
 * (protobuf when asked, PARTIAL status kept), 404 when not found.
 */
export function querierTraceHandler(deps: QuerierTraceDeps): Handler {
  return async (req) => {
    const tenant = deps.tenantOf(req.headers);
    const traceId = parseTraceId(req.params['traceId'] ?? '');
    const range = parseTimeRange(req.query);
    const mode = parseMode(req);
    const blockIds = parseBlockIds(req);
    return traceByIdReply(req, await deps.lookup.traceById(tenant, traceId, range, { mode, blockIds }));
  };
}

function parseMode(req: ApiRequest): QueryMode {
  const mode = req.query.get('mode') ?? '';
  if (mode === '') return 'all';
  if (!(MODES as readonly string[]).includes(mode)) {
    throw new BadRequestError(`invalid mode ${JSON.stringify(mode)}: expected one of ${MODES.join(', ')}`);
  }
  return mode as QueryMode;
}

/** Both bounds default to the ends of the UUID space; undefined when neither is given. */
function parseBlockIds(req: ApiRequest): BlockIdRange | undefined {
  const start = req.query.get('blockStart') ?? '';
  const end = req.query.get('blockEnd') ?? '';
  if (start === '' && end === '') return undefined;
  const range = {
    start: start === '' ? FIRST_BLOCK_ID : parseBlockId(start, 'blockStart'),
    end: end === '' ? LAST_BLOCK_ID : parseBlockId(end, 'blockEnd'),
  };
  if (range.start > range.end) throw new BadRequestError(`blockStart ${range.start} must not be after blockEnd ${range.end}`);
  return range;
}
