/**
 * JSON Schema of a config section with exactly these keys, which may also be written empty (`server:`):
 * an empty section means "the defaults".
 */
export function sectionSchema(properties: Record<string, object>): object {
  return { type: 'object', nullable: true, additionalProperties: false, properties };
}
