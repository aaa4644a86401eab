import type { MockOptions } from './options.js'

export type LogLevel = MockOptions['logLevel']
const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 }

export interface AccessEntry {
  method: string
  path: string
  httpStatus: number
  /** The in-band status, or null when the answer has none (faults, admin, docs). */
  status: number | null
  durationMs: number
  forced?: string | null
}

/** Writes one line per event; never receives secrets (callers pass redacted data only). */
export interface Logger {
  log(
    level: Exclude<LogLevel, 'silent'>,
    event: string,
    message: string,
    fields?: Record<string, unknown>,
  ): void
  access(entry: AccessEntry): void
}

export function createLogger(
  options: Pick<MockOptions, 'logFormat' | 'logLevel'>,
  write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): Logger {
  const min = RANK[options.logLevel]
  const log: Logger['log'] = (level, event, message, fields = {}) => {
    if (RANK[level] < min) return
    if (options.logFormat === 'json') {
      write(JSON.stringify({ time: new Date().toISOString(), level, event, msg: message, ...fields }))
    } else {
      write(level === 'info' ? message : `[${level}] ${message}`)
    }
  }
  return {
    log,
    access(e) {
      const forced = e.forced ? ` forced=${e.forced}` : ''
      const status = e.status === null ? '' : ` status=${e.status}`
      log(
        'info',
        'request',
        `${printable(e.method)} ${printable(e.path)} ${e.httpStatus}${status}${forced} ${e.durationMs.toFixed(1)}ms`,
        {
          ...e,
        },
      )
    },
  }
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it escapes
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f]/g

/** A decoded path can hold newlines and escape codes: escaped, one request stays one line. */
function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
}

export const silentLogger: Logger = { log() {}, access() {} }
