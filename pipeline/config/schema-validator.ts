import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { ConfigError } from '../errors.ts';

/** No coercion, no defaults filled in (defaults live only in createDefaultConfig); every error reported. */
const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true });
const compiled = new WeakMap<object, ValidateFunction>();

/** The errors `schema` finds in `data` (empty when valid). Compiled schemas are cached per schema object. */
export function schemaErrors(schema: object, data: unknown, owner: string): ErrorObject[] {
  let validate = compiled.get(schema);
  if (validate === undefined) {
    try {
      validate = ajv.compile(schema);
    } catch (cause) {
      throw new ConfigError(`${owner} has an invalid configSchema`, { cause });
    }
    compiled.set(schema, validate);
  }
  return validate(data) ? [] : [...(validate.errors ?? [])];
}
