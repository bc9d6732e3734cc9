/**
 * Cache keys built from a complete list of a type's fields. Each key type names, for EVERY field of
 * the object it is built from, whether the cached value depends on it ('key') or not ('ignored'):
 * the list is a mapped type over `keyof T`, so adding a field to ResolvedServingOptions, Layout or GpuSpec
 * without deciding its role in every key that reads it fails `tsc` (issue 9: a forgotten field gave
 * a silently stale plan). A key is the key type's name and the 'key' fields' values, in the order
 * listed; object values (a GPU's TFLOPS table) are written as JSON.
 */

/** For every field of T (optional ones too): does a cached value depend on it? */
export type FieldRoles<T> = { readonly [K in keyof Required<T>]: 'key' | 'ignored' };

/** A function from a value to its key text. */
export type KeyOf<T> = (value: T) => string;

function fieldText(value: unknown): string {
  if (value === undefined) return '~';
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

/**
 * The key function for objects of type T under `roles`. `name` starts every key so that keys of
 * different types never collide when they are joined into one composite key.
 */
export function keyBuilder<T extends object>(name: string, roles: FieldRoles<T>): KeyOf<T> {
  const fields = (Object.keys(roles) as (keyof T & string)[]).filter((f) => roles[f as keyof FieldRoles<T>] === 'key');
  return (value: T): string => {
    let key = name;
    for (const f of fields) key += `|${fieldText(value[f])}`;
    return key;
  };
}

/** Joins keys of several types into one (each already starts with its type's name). */
export function joinKeys(...parts: readonly string[]): string {
  return parts.join('#');
}
