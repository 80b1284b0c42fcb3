/** One located problem in a configuration file. */
export interface ConfigProblem {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly col: number;
  /** Dotted path to the offending value, like `exporters.tracelake.ingester.max_block_bytes`; '' for the file. */
  readonly path: string;
  readonly message: string;
}

/** `F:line:col path: message` (or `F:line:col message` when the problem concerns the whole file). */
export function formatProblem(p: ConfigProblem): string {
  const where = `${p.file}:${p.line}:${p.col}`;
  return p.path === '' ? `${where} ${p.message}` : `${where} ${p.path}: ${p.message}`;
}

/** File order, so a report reads top to bottom. */
export function sortProblems(problems: readonly ConfigProblem[]): ConfigProblem[] {
  return [...problems].sort((a, b) => a.line - b.line || a.col - b.col);
}
