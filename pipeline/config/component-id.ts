/** A component id as written in the config: `type` or `type/name` (the Collector's rules). */
export interface ComponentId {
  readonly type: string;
  readonly name?: string;
}

const TYPE = /^[a-zA-Z][0-9a-zA-Z_]{0,62}$/;
const NAME = /^[^\p{Z}\p{C}\p{S}]+$/u;

/** Undefined when `id` is not a valid component id. */
export function parseComponentId(id: string): ComponentId | undefined {
  const slash = id.indexOf('/');
  const type = slash < 0 ? id : id.slice(0, slash);
  if (!TYPE.test(type)) return undefined;
  if (slash < 0) return { type };
  const name = id.slice(slash + 1);
  return NAME.test(name) ? { type, name } : undefined;
}
