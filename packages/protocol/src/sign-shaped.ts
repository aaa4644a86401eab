/**
 * What "looks like a Sign" means for redaction, in one place for the client and the mock: a
 * whole run of 32 or more hex digits in either case. A Sign inside a longer hex run is taken
 * whole, so no 31-digit tail survives; no word boundary is required, so `x<sign>` and
 * `_<sign>` are caught too.
 */
export const SIGN_SHAPED_SOURCE = '[0-9a-fA-F]{32,}'

// Used only through String.prototype.replace, which resets lastIndex itself: sharing one
// global regex is safe there (and never handed out, so nobody can call .test/.exec on it).
const SIGN_SHAPED = /[0-9a-fA-F]{32,}/g

/**
 * `text` with every Sign-shaped run replaced by `replacement` (taken literally: a function
 * replacer, so a `$&` in it is not a back-reference).
 */
export function redactSignShaped(text: string, replacement = '[redacted]'): string {
  return text.replace(SIGN_SHAPED, () => replacement)
}
