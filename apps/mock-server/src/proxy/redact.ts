import { createHash } from 'node:crypto'
import { HEADER, redactSensitiveJson, redactSensitiveText, SENSITIVE_FIELDS } from '@laaffic-kit/protocol'
import { redactJson, redactSecrets, type Secrets } from '../faults.js'
import { maskSecret } from '../options.js'

// Everything that reaches a recording passes through here. The rules themselves live in
// @laaffic-kit/protocol (passwords, phone numbers, files) and faults.ts (secrets, Sign-shaped
// text); this module only applies them to HAR's pieces.

/** Headers that never reach a recording at all: credentials and cookies. */
const DROPPED_HEADERS = new Set([
  HEADER.sign.toLowerCase(),
  'authorization',
  'cookie',
  'set-cookie',
  'proxy-authorization',
])

export interface HarHeader {
  name: string
  value: string
}

/** Headers as HAR wants them: Api-Key masked, Sign and cookies dropped, the rest through redactSecrets. */
export function redactHeaders(headers: Iterable<[string, string]>, secrets: Secrets): HarHeader[] {
  const out: HarHeader[] = []
  for (const [name, value] of headers) {
    const lower = name.toLowerCase()
    if (DROPPED_HEADERS.has(lower)) continue
    if (lower === HEADER.apiKey.toLowerCase()) out.push({ name, value: maskSecret(value) })
    else out.push({ name, value: redactSecrets(value, secrets) })
  }
  return out
}

const FILE_KEYS = new Set<string>(SENSITIVE_FIELDS.file)

/** What stands in for an uploaded file: its decoded size and SHA-256 (enough to tell files apart). */
export function fileDigest(base64: string): string {
  const bytes = Buffer.from(base64, 'base64')
  return `[file: ${bytes.length} bytes, sha256 ${createHash('sha256').update(bytes).digest('hex')}]`
}

/**
 * protocol's rule already replaced a file field by its base64 length; the recording wants size
 * and SHA-256 (computed from the original, which never leaves this function).
 */
function withFileDigests(original: unknown, redacted: unknown, depth = 0): unknown {
  if (depth > 32 || original === null || typeof original !== 'object') return redacted
  if (redacted === null || typeof redacted !== 'object') return redacted
  if (Array.isArray(original)) {
    if (!Array.isArray(redacted)) return redacted
    return redacted.map((r, i) => withFileDigests(original[i], r, depth + 1))
  }
  const out = redacted as Record<string, unknown>
  for (const [k, v] of Object.entries(original)) {
    if (!(k in out)) continue
    if (FILE_KEYS.has(k) && typeof v === 'string') out[k] = fileDigest(v)
    else out[k] = withFileDigests(v, out[k], depth + 1)
  }
  return out
}

/**
 * A body as safe to record: JSON through the protocol's field rules (then secrets and anything
 * Sign-shaped), anything else through the text rules.
 */
export function redactBody(text: string, secrets: Secrets, phoneDigits = 4): string {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return redactSecrets(redactSensitiveText(text, phoneDigits), secrets)
  }
  // Digests go in last: a SHA-256 is 64 hex digits, which the Sign-shaped rule would take.
  return JSON.stringify(
    withFileDigests(parsed, redactJson(redactSensitiveJson(parsed, 0, phoneDigits), secrets)),
  )
}

/**
 * Query parameters as HAR's `queryString`: each `name=value` through the same text rules a form
 * body gets (so `password=…` and phone fields are caught by their names), then secrets.
 */
export function redactQuery(params: URLSearchParams, secrets: Secrets, phoneDigits = 4): HarHeader[] {
  return [...params].map(([name, value]) => {
    const shown = redactSecrets(redactSensitiveText(`${name}=${value}`, phoneDigits), secrets)
    const at = shown.indexOf('=')
    return { name: shown.slice(0, at), value: shown.slice(at + 1) }
  })
}
