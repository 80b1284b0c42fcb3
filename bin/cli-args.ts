import { parseArgs } from 'node:util';
import { ConfigError } from '../pipeline/errors.ts';
import { TARGETS, type Target } from '../pipeline/service/targets.ts';

export type Command =
  | { readonly name: 'run'; readonly config: string; readonly targets: readonly Target[] }
  | { readonly name: 'validate'; readonly config: string }
  | { readonly name: 'version' }
  | { readonly name: 'help' };

export const USAGE = `usage:
  tracelake --config <pipelines.yaml> [--target <role>[,<role>…]]   run the pipelines and/or backend roles
      roles: all (default), distributor, ingester, querier, query-frontend, compactor
  tracelake validate --config <pipelines.yaml>         report every problem in the file, or "valid"
  tracelake --version
`;

/** argv after the script name → what to do; throws ConfigError on a bad command line. */
export function parseCli(argv: readonly string[]): Command {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        config: { type: 'string', short: 'c' },
        target: { type: 'string', default: 'all' },
        version: { type: 'boolean', short: 'v' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (cause) {
    throw new ConfigError((cause as Error).message, { cause });
  }
  const { values, positionals } = parsed;
  if (values.help === true) return { name: 'help' };
  if (values.version === true) return { name: 'version' };
  const [verb, ...extra] = positionals;
  if (extra.length > 0 || (verb !== undefined && verb !== 'validate')) {
    throw new ConfigError(`unexpected argument '${verb === 'validate' ? extra[0] : verb}'`);
  }
  if (values.config === undefined) throw new ConfigError('--config <file> is required');
  if (verb === 'validate') return { name: 'validate', config: values.config };
  return { name: 'run', config: values.config, targets: parseTargets(values.target) };
}

/** `ingester,querier` → the distinct roles, in the order given; empty or unknown roles are refused. */
function parseTargets(text: string): Target[] {
  const names = text.split(',').map((t) => t.trim());
  if (names.some((t) => t === '')) throw new ConfigError(`empty role in --target '${text}'`);
  const targets: Target[] = [];
  for (const name of names) {
    if (!(TARGETS as readonly string[]).includes(name)) {
      throw new ConfigError(`unknown target '${name}' (available: ${TARGETS.join(', ')})`);
    }
    if (!targets.includes(name as Target)) targets.push(name as Target);
  }
  return targets;
}
