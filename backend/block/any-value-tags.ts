/** How an attribute's value is stored in its column (one tag per occurrence). */
export const VALUE_NONE = 0; // KeyValue without a value field
export const VALUE_EMPTY = 1; // an AnyValue with no member set
export const VALUE_STRING = 2;
export const VALUE_BOOL = 3;
export const VALUE_INT = 4;
export const VALUE_DOUBLE = 5;
export const VALUE_BYTES = 6;
export const VALUE_ARRAY = 7; // ArrayValue kept as its encoded bytes
export const VALUE_KVLIST = 8; // KeyValueList kept as its encoded bytes

/** AnyValue field number of each tag that is a member of the oneof (bytes-like ones). */
export const BLOB_FIELD: Record<number, number> = { [VALUE_BYTES]: 7, [VALUE_ARRAY]: 5, [VALUE_KVLIST]: 6 };
