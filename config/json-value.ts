/** A structured setting's value (type 'json' in CONFIG_KEYS), as JSON, YAML and TOML can all write it. */
export type JsonValue = string | number | boolean | null | JsonStructure;

/** What a 'json' setting holds: a list or a table, never a bare scalar. */
export type JsonStructure = readonly JsonValue[] | { readonly [key: string]: JsonValue };
