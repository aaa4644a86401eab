/**
 * How a -22 reason names a value a client sent: numbers as themselves, everything else by its
 * kind. A string is never echoed: it may be a password, a phone number or a pasted secret.
 */
export function describeValue(v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'an array'
  if (typeof v === 'number') return String(v)
  if (typeof v === 'object') return 'an object'
  return `a ${typeof v}`
}
