/**
 * The string entries of a list a target advertised (a metadata `*_supported` array): a hostile
 * or sloppy document may mix in other values, which name nothing to use.
 */
export function stringList(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : undefined
}
