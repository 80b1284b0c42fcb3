import { parseArgs } from 'node:util';
import { ConfigError } from '../pipeline/errors.ts';

export type Command =
  | { readonly name: 'run'; readonly config: string; readonly target: string }
  | { readonly name: 'validate'; readonly config: string }
  | { readonly name: 'version' }
  | { readonly name: 'help' };

export const USAGE = `usage:
  tracelake --config <pipelines.yaml> [--target all]   run the pipelines
  tracelake validate --config <pipelines.yaml>         report every problem in the file, or "valid"
  tracelake --version
`;

const TARGETS = ['all'];

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
  if (!TARGETS.includes(values.target)) {
    throw new ConfigError(`unknown target '${values.target}' (available: ${TARGETS.join(', ')})`);
  }
  return { name: 'run', config: values.config, target: values.target };
}
