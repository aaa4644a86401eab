/**
 * Fields whose values never reach a log, an error or a journal whole: seat passwords (the
 * vendor returns them in clear) and phone numbers. The lists equal what the spec marks
 * `x-sensitive: password` / `x-sensitive: phone` (a spec test holds them together).
 */
export const SENSITIVE_FIELDS = /* @__PURE__ */ Object.freeze({
  password: Object.freeze(['password']),
  phone: Object.freeze(['callingNumber', 'displayNum']),
  /** Uploaded file contents (base64): a number file is a list of phone numbers. */
  file: Object.freeze(['file']),
} as const)

const REDACTED = '[redacted]'

/**
 * A phone number with all but its last `keep` (default 4) characters masked:
 * `8613500001234` → `*********1234`; `keep` 0 masks it whole.
 */
export function maskPhone(value: string, keep = 4): string {
  return value.length <= keep || keep <= 0
    ? '*'.repeat(value.length)
    : `${'*'.repeat(value.length - keep)}${value.slice(-keep)}`
}

const isPassword = (key: string) => (SENSITIVE_FIELDS.password as readonly string[]).includes(key)
const isPhone = (key: string) => (SENSITIVE_FIELDS.phone as readonly string[]).includes(key)
const isFile = (key: string) => (SENSITIVE_FIELDS.file as readonly string[]).includes(key)

/** What stands in for an uploaded file's content: its size, never its bytes. */
const fileStandIn = (v: unknown) =>
  typeof v === 'string' ? `[file: ${v.length} base64 characters]` : REDACTED

const TOO_DEEP = '[redacted: nested too deep]'
const MAX_DEPTH = 32

function maskPhones(value: unknown, depth: number, keep: number): unknown {
  if (typeof value === 'string' || typeof value === 'number') return maskPhone(String(value), keep)
  if (Array.isArray(value))
    return depth > MAX_DEPTH ? TOO_DEEP : value.map((v) => maskPhones(v, depth + 1, keep))
  return value === null ? null : redactSensitiveJson(value, depth + 1, keep)
}

/**
 * A parsed JSON value with passwords replaced and phone numbers masked (also inside arrays under
 * a phone key), at any depth: past 32 levels a value is dropped whole rather than shown unchecked.
 */
export function redactSensitiveJson(value: unknown, depth = 0, keepPhoneDigits = 4): unknown {
  if (value === null || typeof value !== 'object') return value
  if (depth > MAX_DEPTH) return TOO_DEEP
  if (Array.isArray(value)) return value.map((v) => redactSensitiveJson(v, depth + 1, keepPhoneDigits))
  const out: Record<string, unknown> = Object.create(null)
  for (const [k, v] of Object.entries(value)) {
    if (isPassword(k)) out[k] = v === null ? null : REDACTED
    else if (isPhone(k)) out[k] = maskPhones(v, depth + 1, keepPhoneDigits)
    else if (isFile(k)) out[k] = v === null ? null : fileStandIn(v)
    else out[k] = redactSensitiveJson(v, depth + 1, keepPhoneDigits)
  }
  return out
}

// `"password": "…"`, `'password': '…'` or `password=…` (a form body), the value possibly cut
// short by an excerpt; and the same for the phone fields, whose digits may carry spaces, dashes,
// dots, parentheses or a leading +.
const PASSWORD_PAIR = /(["']?password["']?\s*[:=]\s*)("(?:[^"\\]|\\.)*"?|'(?:[^'\\]|\\.)*'?|[^\s,}\]&]+)/gi
const PHONE_PAIR = /(["']?(?:callingNumber|displayNum)["']?\s*[:=]\s*\[?\s*["']?)([+(]?[0-9][0-9 ().+-]*)/g

// A file's base64, possibly cut short: everything up to its closing quote (or the end).
const FILE_PAIR = /(["']?file["']?\s*[:=]\s*["']?)([A-Za-z0-9+/=_-]{16,}["']?)/g

/** The same rule for JSON (or form data) that is only text: cut, unparsable or not JSON at all. */
export function redactSensitiveText(text: string, keepPhoneDigits = 4): string {
  return text
    .replace(
      FILE_PAIR,
      (_, head: string, value: string) => `${head}${fileStandIn(value.replace(/["']$/, ''))}"`,
    )
    .replace(PASSWORD_PAIR, `$1"${REDACTED}"`)
    .replace(PHONE_PAIR, (_, head: string, digits: string) => `${head}${maskPhone(digits, keepPhoneDigits)}`)
}
