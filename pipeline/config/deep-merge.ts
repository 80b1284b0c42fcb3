export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * The user's component config laid over its defaults: plain objects merge key by key, anything else
 * (arrays, scalars) replaces the default; a null where the default has a value means "the default", as an
 * empty `key:` does in the Collector. Returns a fresh tree; neither input is modified.
 */
export function deepMerge(defaults: unknown, user: unknown): unknown {
  if (user === null || user === undefined) return clone(defaults);
  if (!isPlainObject(defaults) || !isPlainObject(user)) return clone(user);
  const out: Record<string, unknown> = clone(defaults) as Record<string, unknown>;
  for (const [key, value] of Object.entries(user)) {
    out[key] = key in out ? deepMerge(out[key], value) : clone(value);
  }
  return out;
}

function clone(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(clone);
  if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, clone(x)]));
  return v;
}
