import { redactSignShaped } from '@laaffic-kit/protocol'

/** The subset of `console` the client logs to. */
export interface Logger {
  debug(message: string, ...meta: unknown[]): void
  info(message: string, ...meta: unknown[]): void
  warn(message: string, ...meta: unknown[]): void
  error(message: string, ...meta: unknown[]): void
}

type Level = keyof Logger

const REDACTED = '[redacted]'

/** Replaces every occurrence of each non-empty secret in `text`. */
export function redact(text: string, ...secrets: Array<string | null | undefined>): string {
  for (const secret of secrets) if (secret) text = text.replaceAll(secret, REDACTED)
  return text
}

/**
 * Wraps the user's logger so no line can carry the apiSecret or a Sign. The client only ever
 * logs strings it built itself and never headers; this scrub is the second line of defence
 * (a server `reason` or an error message could echo something).
 */
export function redactingLogger(target: Partial<Logger> | undefined, apiSecret: string): Logger {
  const make =
    (level: Level) =>
    (message: string): void => {
      // A Sign authorises a replay within the timestamp window, so anything shaped like one
      // (protocol's rule: a whole run of 32+ hex digits) is scrubbed like the secret.
      target?.[level]?.(redactSignShaped(redact(message, apiSecret), REDACTED))
    }
  return { debug: make('debug'), info: make('info'), warn: make('warn'), error: make('error') }
}
