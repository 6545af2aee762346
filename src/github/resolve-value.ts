// Collaborators given either as a value or as a function that produces it when first needed.

/** The value, or what the function resolves to. */
export async function resolveValue<T>(value: T | (() => Promise<T>)): Promise<T> {
  return typeof value === 'function' ? (value as () => Promise<T>)() : value;
}
