import { readFileSync } from 'node:fs'
import { type ParseArgsConfig, parseArgs } from 'node:util'
import {
  type MockOptions,
  type MockOptionsInput,
  OPTION_DEFS,
  OptionError,
  optionDef,
  parseWith,
  resolveOptions,
  show,
} from './options.js'

// The command line and --config file: Node-only (node:util, node:fs), so it stays out of the
// app's module graph (the app also runs on Bun and other fetch runtimes).

export interface CliParseResult {
  options: MockOptions
  help: boolean
  version: boolean
}

export const ENV_PREFIX = 'LAAFFIC_MOCK_'

/** Flags that are not options of the mock itself. */
const CLI_ONLY = {
  config: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
} as const satisfies ParseArgsConfig['options']

/** Every flag parseArgs accepts: the option table's (all take a value) and the CLI's own. */
const PARSE_OPTIONS: NonNullable<ParseArgsConfig['options']> = {
  ...Object.fromEntries(OPTION_DEFS.map((d) => [d.flag, { type: 'string' as const }])),
  ...CLI_ONLY,
}

const known = (name: string): boolean => Object.hasOwn(PARSE_OPTIONS, name)
const takesValue = (name: string): boolean => known(name) && PARSE_OPTIONS[name]?.type === 'string'

/** `--name` spelled the way this CLI spells flags (lower case with dashes). */
const LONG_FLAG = /^--([a-z][a-z-]*)(?:=[\s\S]*)?$/

/** A token that stands where a value should: a flag, not a value (`--x`, but not `--` or `-5`). */
const looksLikeFlag = (token: string): boolean => token.startsWith('--') && token.length > 2

/**
 * What parseArgs gets, and where each of its tokens came from in `argv` (for messages).
 * - A literal `--` is dropped wherever it stands: `pnpm start -- --port 0` hands one over
 *   (CONTRIBUTING), and this CLI takes no positional arguments it could separate.
 * - `--flag -05:30` becomes `--flag=-05:30`: strict parseArgs calls a separate value that starts
 *   with a dash ambiguous, but negative offsets and status codes are ordinary values here.
 */
function normalizeArgv(argv: readonly string[]): { args: string[]; from: number[] } {
  const args: string[] = []
  const from: number[] = []
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] ?? ''
    if (token === '--') continue
    const next = argv[i + 1]
    const name = token.startsWith('--') && !token.includes('=') ? token.slice(2) : undefined
    if (
      name !== undefined &&
      takesValue(name) &&
      next?.startsWith('-') &&
      next !== '--' &&
      !looksLikeFlag(next)
    ) {
      args.push(`${token}=${next}`)
      from.push(i)
      i++
      continue
    }
    args.push(token)
    from.push(i)
  }
  return { args, from }
}

/**
 * The one-line error for argv that strict parseArgs rejected. Built from our own reading of the
 * offending token, never from Node's message: that quotes whole tokens, and a stray token may be
 * the secret (a mistyped `--apiSecret=…`, or one value too many).
 */
function argvError(argv: readonly string[], args: string[], from: number[]): OptionError {
  const { tokens } = parseArgs({
    args,
    options: PARSE_OPTIONS,
    strict: false,
    allowPositionals: true,
    tokens: true,
  })
  for (const token of tokens) {
    const index = from[token.index] ?? token.index
    const raw = argv[index] ?? ''
    if (token.kind === 'option-terminator') continue
    if (
      token.kind === 'option' &&
      token.rawName.startsWith('--') &&
      LONG_FLAG.test(args[token.index] ?? '')
    ) {
      const name = token.name
      if (!known(name)) return new OptionError(`unknown option --${name} (see --help)`)
      if (takesValue(name)) {
        if (token.value === undefined || (!token.inlineValue && token.value.startsWith('-'))) {
          return new OptionError(`--${name} needs a value (see --help)`)
        }
      } else if (token.value !== undefined) {
        return new OptionError(`--${name} takes no value (see --help)`)
      }
      continue
    }
    // -h and -q, alone or grouped (-hq): parseArgs has already mapped them to help/quiet.
    if (
      token.kind === 'option' &&
      !token.rawName.startsWith('--') &&
      known(token.name) &&
      token.value === undefined
    ) {
      continue
    }
    // Never the whole token: it may be a secret.
    const flag = /^-{1,2}[A-Za-z][\w-]{0,40}/.exec(raw)?.[0]
    return new OptionError(
      flag
        ? `unexpected argument ${show(flag)}${raw.length > flag.length ? '…' : ''} (options are --lower-case-with-dashes; see --help)`
        : `unexpected argument #${index + 1}: this CLI takes no positional arguments (see --help)`,
    )
  }
  return new OptionError('cannot read the command line (see --help)')
}

/**
 * Resolves options from argv, `LAAFFIC_MOCK_*` variables and a `--config` JSON file.
 * Precedence: command line > environment > config file > defaults.
 * argv is read by `node:util` parseArgs (strict: every flag comes from OPTION_DEFS or CLI_ONLY);
 * `--flag value` and `--flag=value` both work; the last of a repeated flag wins.
 */
export function parseCliArgs(argv: readonly string[], env: NodeJS.ProcessEnv = {}): CliParseResult {
  const { args, from } = normalizeArgv(argv)
  let values: Record<string, string | boolean | (string | boolean)[] | undefined>
  try {
    values = parseArgs({ args, options: PARSE_OPTIONS, strict: true, allowPositionals: false }).values
  } catch {
    throw argvError(argv, args, from)
  }
  const flag = (name: string): string | undefined => {
    const v = values[name]
    return typeof v === 'string' ? v : undefined
  }
  const configPath = flag('config') ?? (env[`${ENV_PREFIX}CONFIG`] || undefined)
  const merged: Record<string, unknown> = {}
  if (configPath) {
    const config = readConfig(configPath)
    for (const [key, value] of Object.entries(config)) {
      const def = optionDef(key)
      if (!def) throw new OptionError(`config ${configPath}: unknown key ${show(key)}`)
      merged[key] = parseWith(def, value, `config ${configPath}: ${key}`)
    }
  }
  for (const def of OPTION_DEFS) {
    const raw = env[ENV_PREFIX + def.env]
    if (raw !== undefined && raw !== '') merged[def.key] = parseWith(def, raw, ENV_PREFIX + def.env)
  }
  for (const def of OPTION_DEFS) {
    const raw = flag(def.flag)
    if (raw !== undefined) merged[def.key] = parseWith(def, raw, `--${def.flag}`)
  }
  if (values.quiet === true || env[`${ENV_PREFIX}QUIET`] === '1') merged.logLevel = 'error'
  return {
    options: resolveOptions(merged as MockOptionsInput),
    help: values.help === true,
    version: values.version === true,
  }
}

function readConfig(path: string): Record<string, unknown> {
  let textContent: string
  try {
    textContent = readFileSync(path, 'utf8')
  } catch (err) {
    throw new OptionError(`--config ${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? 'error'})`)
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(textContent)
  } catch (err) {
    // The position only: V8's message quotes the text around the error, which may be the secret.
    const at = /position (\d+)/.exec((err as Error).message)?.[1]
    throw new OptionError(`--config ${path}: not valid JSON${at ? ` (at character ${at})` : ''}`)
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new OptionError(`--config ${path}: must hold a JSON object of option keys`)
  }
  return parsed as Record<string, unknown>
}

export function helpText(): string {
  const entries: [string, string][] = [
    ...OPTION_DEFS.map((d): [string, string] => [
      `--${d.flag} ${d.arg}`,
      `${d.description} [${d.defaultText}] (${ENV_PREFIX}${d.env})${d.assumption ? ' *' : ''}`,
    ]),
    [
      '--config <file.json>',
      `JSON object of option keys, e.g. {"port":0,"apiKey":"k"} (${ENV_PREFIX}CONFIG)`,
    ],
    ['-q, --quiet', `only errors (same as --log-level error) (${ENV_PREFIX}QUIET=1)`],
    ['-h, --help', 'this text'],
    ['--version', 'print the version'],
  ]
  // One column for the descriptions, wide enough for the longest flag.
  const width = Math.max(...entries.map(([left]) => left.length)) + 2
  return [
    'Usage: laaffic-mock [options]',
    '',
    "A mock of LAAFFIC's /v3/cc call-center API (signing, paging, filters, every status and fault).",
    '',
    'Options (command line > environment > --config file > default):',
    ...entries.map(([left, right]) => `  ${left.padEnd(width)}${right}`),
    '',
    '* a vendor behaviour the vendor does not document; the default is our guess. Each is explained',
    '  in the "Assumptions" table of the mock\'s README (apps/mock-server/README.md).',
    'The first stdout line always holds the base URL, e.g. "listening on http://127.0.0.1:4010".',
  ].join('\n')
}
