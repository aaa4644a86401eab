import { parseArgs } from 'node:util'
import { DEFAULT_OPTIONS, OptionError, optionDef, parseWith } from '../options.js'

/** Everything one proxy instance needs; the upstream credentials come only from the environment. */
export interface ProxyOptions {
  /** The upstream base URL (http or https), without a trailing slash. */
  upstream: string
  /** Where the HAR 1.2 recording goes, or undefined for none. */
  record: string | undefined
  port: number
  host: string
  /** What callers sign with (the mock's own defaults unless given). */
  apiKey: string
  apiSecret: string
  timestampWindow: number
  /** Upper bound of one upstream call, in milliseconds. */
  timeoutMs: number
  /** Digits of a phone number a recording keeps (the rest masked); 0 masks it whole. Default 4. */
  phoneDigits?: number | undefined
  upstreamApiKey: string
  upstreamApiSecret: string
}

/** The environment variables that carry the upstream credentials (never a flag: flags show in `ps`). */
export const UPSTREAM_KEY_ENV = 'LAAFFIC_API_KEY'
export const UPSTREAM_SECRET_ENV = 'LAAFFIC_API_SECRET'

const FLAGS = {
  upstream: { type: 'string' },
  record: { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  'api-key': { type: 'string' },
  'api-secret': { type: 'string' },
  'timestamp-window': { type: 'string' },
  'upstream-timeout': { type: 'string' },
  'phone-digits': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const

/** The upstream base URL, checked: http(s) only, no credentials in it, no query or fragment. */
export function parseUpstream(text: string): string {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new OptionError('--upstream must be an absolute http(s) URL')
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new OptionError('--upstream must be an http:// or https:// URL')
  }
  if (url.username !== '' || url.password !== '') {
    throw new OptionError(
      `--upstream must not carry credentials (use ${UPSTREAM_KEY_ENV}/${UPSTREAM_SECRET_ENV})`,
    )
  }
  if (url.search !== '' || url.hash !== '') throw new OptionError('--upstream takes no query or fragment')
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`
}

/** A mock option (port, host, api-key, …) read with the mock's own parser and messages. */
function mockOption(key: string, raw: string | undefined, flag: string): unknown {
  const def = optionDef(key)
  if (raw === undefined || !def) return undefined
  return parseWith(def, raw, `--${flag}`)
}

export interface ProxyParseResult {
  options: ProxyOptions | undefined
  help: boolean
}

/**
 * `laaffic-mock proxy …` arguments (after the word `proxy`). Strict node:util parseArgs; errors
 * are OptionErrors worded here, never Node's (which would quote a token that may be a secret).
 */
export function parseProxyArgs(argv: readonly string[], env: NodeJS.ProcessEnv): ProxyParseResult {
  let values: Record<string, string | boolean | undefined>
  try {
    values = parseArgs({
      args: argv.filter((a) => a !== '--'),
      options: FLAGS,
      strict: true,
      allowPositionals: false,
    }).values as Record<string, string | boolean | undefined>
  } catch (err) {
    const code = (err as { code?: string }).code
    const flag = /'(-{1,2}[a-z][\w-]{0,40})/i.exec((err as Error).message)?.[1]
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && flag) {
      throw new OptionError(`proxy: unknown option ${flag} (see laaffic-mock proxy --help)`)
    }
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && flag) {
      throw new OptionError(`proxy: ${flag} needs a value (see laaffic-mock proxy --help)`)
    }
    throw new OptionError(
      'proxy: cannot read the command line; it takes only --options (see laaffic-mock proxy --help)',
    )
  }
  if (values.help === true) return { options: undefined, help: true }
  const str = (name: keyof typeof FLAGS): string | undefined => {
    const v = values[name]
    return typeof v === 'string' ? v : undefined
  }
  const upstreamText = str('upstream')
  if (upstreamText === undefined) throw new OptionError('proxy: --upstream <base-url> is required')
  const upstream = parseUpstream(upstreamText)
  const upstreamApiKey = env[UPSTREAM_KEY_ENV]
  const upstreamApiSecret = env[UPSTREAM_SECRET_ENV]
  if (!upstreamApiKey || !upstreamApiSecret) {
    throw new OptionError(
      `proxy: set ${UPSTREAM_KEY_ENV} and ${UPSTREAM_SECRET_ENV} to the upstream credentials`,
    )
  }
  const record = str('record')
  if (record === '') throw new OptionError('proxy: --record needs a file name')
  const timeoutText = str('upstream-timeout')
  let timeoutMs = 30_000
  if (timeoutText !== undefined) {
    if (!/^\d{1,7}$/.test(timeoutText) || Number(timeoutText) < 1) {
      throw new OptionError('proxy: --upstream-timeout must be a whole number of milliseconds ≥ 1')
    }
    timeoutMs = Number(timeoutText)
  }
  const digitsText = str('phone-digits')
  if (digitsText !== undefined && !/^[0-8]$/.test(digitsText)) {
    throw new OptionError('proxy: --phone-digits must be a whole number from 0 to 8')
  }
  const phoneDigits = digitsText === undefined ? 4 : Number(digitsText)
  return {
    help: false,
    options: {
      upstream,
      record,
      port: (mockOption('port', str('port'), 'port') as number | undefined) ?? DEFAULT_OPTIONS.port,
      host: (mockOption('host', str('host'), 'host') as string | undefined) ?? DEFAULT_OPTIONS.host,
      apiKey:
        (mockOption('apiKey', str('api-key'), 'api-key') as string | undefined) ?? DEFAULT_OPTIONS.apiKey,
      apiSecret:
        (mockOption('apiSecret', str('api-secret'), 'api-secret') as string | undefined) ??
        DEFAULT_OPTIONS.apiSecret,
      timestampWindow:
        (mockOption('timestampWindow', str('timestamp-window'), 'timestamp-window') as number | undefined) ??
        DEFAULT_OPTIONS.timestampWindow,
      timeoutMs,
      phoneDigits,
      upstreamApiKey,
      upstreamApiSecret,
    },
  }
}

export function proxyHelpText(): string {
  return [
    'Usage: laaffic-mock proxy --upstream <base-url> [options]',
    '',
    'A re-signing proxy: callers sign with the mock credentials; each request is checked as the mock',
    `checks it, re-signed with ${UPSTREAM_KEY_ENV}/${UPSTREAM_SECRET_ENV} and forwarded; the answer comes back unchanged.`,
    '',
    '  --upstream <url>          the upstream base URL (http or https)',
    '  --record <file.har>       record every exchange, redacted, as HAR 1.2 (rewritten atomically)',
    `  --port <n>                [${DEFAULT_OPTIONS.port}]   --host <addr> [${DEFAULT_OPTIONS.host}]`,
    "  --api-key <key>           what callers sign with [the mock's default]",
    "  --api-secret <secret>     [the mock's default]",
    `  --timestamp-window <s>    [${DEFAULT_OPTIONS.timestampWindow}]`,
    '  --upstream-timeout <ms>   bound of one upstream call [30000]',
    '  --phone-digits <n>        digits of a phone number a recording keeps, 0 to 8 [4]',
    '',
    'The first stdout line holds the proxy URL. GET /__proxy/report returns the recording summary.',
  ].join('\n')
}
