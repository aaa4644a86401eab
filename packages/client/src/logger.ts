/** The subset of `console` the client logs to. */
export interface Logger {
  debug(message: string, ...meta: unknown[]): void
  info(message: string, ...meta: unknown[]): void
  warn(message: string, ...meta: unknown[]): void
  error(message: string, ...meta: unknown[]): void
}

const LEVELS = ['debug', 'info', 'warn', 'error'] as const
type Level = (typeof LEVELS)[number]

const REDACTED = '[redacted]'
// A Sign is 32 hex characters; it authorises a replay within the timestamp window, so it is
// treated like the secret. Scrubbing every 32-hex run is blunt but cannot miss one.
const HEX32 = /\b[0-9a-fA-F]{32}\b/g

/**
 * Wraps the user's logger so no line can carry the apiSecret or a Sign. The client never
 * passes headers to the logger in the first place; this is the second line of defence.
 */
export function redactingLogger(target: Partial<Logger> | undefined, apiSecret: string): Logger {
  const scrub = (value: unknown, depth: number): unknown => {
    if (typeof value === 'string') {
      const noSecret = apiSecret ? value.split(apiSecret).join(REDACTED) : value
      return noSecret.replace(HEX32, REDACTED)
    }
    if (depth > 3 || value === null || typeof value !== 'object') return value
    if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1))
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) {
      out[k] = /^(sign|apisecret|api-secret|secret|authorization)$/i.test(k) ? REDACTED : scrub(v, depth + 1)
    }
    return out
  }
  const make = (level: Level) => {
    const fn = target?.[level]
    if (typeof fn !== 'function') return () => {}
    return (message: string, ...meta: unknown[]) => {
      fn.call(target, scrub(message, 0) as string, ...meta.map((m) => scrub(m, 0)))
    }
  }
  return { debug: make('debug'), info: make('info'), warn: make('warn'), error: make('error') }
}
