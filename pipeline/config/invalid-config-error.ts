import { ConfigError } from '../errors.ts';
import { formatProblem, type ConfigProblem } from './config-problem.ts';

/** A configuration file with located problems; `problems` holds every one of them, in file order. */
export class InvalidConfigError extends ConfigError {
  readonly problems: readonly ConfigProblem[];
  constructor(problems: readonly ConfigProblem[], options?: ErrorOptions) {
    const head = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super(`invalid configuration (${head}):\n${problems.map(formatProblem).join('\n')}`, options);
    this.problems = Object.freeze([...problems]);
  }
}
