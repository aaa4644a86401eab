import type { HeadersLike } from './types.js'

/**
 * openapi-fetch's `mergeHeaders`, restated so the core does not pull openapi-fetch (~2.6 KB
 * gzipped) into a bundle that never touches `client.raw`: later sources win, `undefined` is
 * skipped, `null` deletes, an array appends each value. Throws the platform's `TypeError` for a
 * name or value `Headers` refuses.
 */
export function mergeHeaders(...sources: Array<HeadersLike | undefined>): Headers {
  const merged = new Headers()
  for (const source of sources) {
    if (!source) continue
    // Typed loosely: a plain object from JavaScript may hold undefined, null or arrays.
    const entries: Iterable<[string, unknown]> = source instanceof Headers ? source : Object.entries(source)
    for (const [name, value] of entries) {
      if (value === null) merged.delete(name)
      else if (Array.isArray(value)) for (const v of value) merged.append(name, v)
      else if (value !== undefined) merged.set(name, value as string)
    }
  }
  return merged
}
