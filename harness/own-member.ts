/**
 * Setting a member on a copy of parsed data. A JSON body may hold a `__proto__` member, which
 * `JSON.parse` keeps as an own member; plain assignment would set the copy's prototype instead,
 * and the member would vanish from the copy (and from the report).
 */
export function setOwnMember(record: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true })
  } else record[key] = value
}
