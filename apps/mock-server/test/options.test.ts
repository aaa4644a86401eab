import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { helpText, parseCliArgs } from '../src/cli-args.js'
import {
  ACCOUNT_TASKS_FLOOR,
  accountTasksLimit,
  DEFAULT_OPTIONS,
  type MockOptions,
  OPTION_DEFS,
  OptionError,
  publicOptions,
  resolveOptions,
} from '../src/options.js'

const tmp = mkdtempSync(join(tmpdir(), 'laaffic-options-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

const parse = (argv: string[], env: NodeJS.ProcessEnv = {}) => parseCliArgs(argv, env)

/** The OptionError message parseCliArgs throws (fails the test when it throws nothing else). */
function errorOf(argv: string[], env: NodeJS.ProcessEnv = {}): string {
  try {
    parseCliArgs(argv, env)
  } catch (err) {
    expect(err).toBeInstanceOf(OptionError)
    const message = (err as Error).message
    expect(message.split('\n')).toHaveLength(1)
    return message
  }
  throw new Error(`no error for ${JSON.stringify(argv)}`)
}

describe('parseCliArgs (node:util parseArgs, strict)', () => {
  it('reads --flag value and --flag=value alike, for every option of the table', () => {
    for (const def of OPTION_DEFS) {
      const value = sampleValue(def.key)
      const spaced = parse([`--${def.flag}`, value]).options[def.key]
      const joined = parse([`--${def.flag}=${value}`]).options[def.key]
      expect(spaced, def.flag).toEqual(joined)
      expect(spaced, def.flag).not.toEqual(DEFAULT_OPTIONS[def.key])
    }
  })

  it('ignores a literal -- wherever pnpm puts it', () => {
    expect(parse(['--', '--port', '0', '--tasks', '12']).options).toMatchObject({ port: 0, tasks: 12 })
    expect(parse(['--port', '0', '--', '--tasks=12']).options).toMatchObject({ port: 0, tasks: 12 })
  })

  it('takes a value that starts with one dash after the flag (negative offsets and codes)', () => {
    const { options } = parse([
      '--utc-offset',
      '-05:30',
      '--missing-id-status',
      '-24',
      '--duplicate-group-status=-33',
    ])
    expect(options.utcOffset).toBe(-330)
    expect(options.missingIdStatus).toBe(-24)
    expect(options.duplicateGroupStatus).toBe(-33)
  })

  it('lets the last of a repeated flag win', () => {
    expect(parse(['--tasks', '5', '--tasks=6']).options.tasks).toBe(6)
  })

  it('reads -h, -q, --version and their grouped short form', () => {
    expect(parse(['-h']).help).toBe(true)
    expect(parse(['--help']).help).toBe(true)
    expect(parse(['--version']).version).toBe(true)
    expect(parse(['-q']).options.logLevel).toBe('error')
    const grouped = parse(['-hq'])
    expect(grouped.help).toBe(true)
    expect(grouped.options.logLevel).toBe('error')
    expect(parse([]).help).toBe(false)
  })

  it.each([
    [['--bogus'], 'unknown option --bogus (see --help)'],
    [['--bogus=1'], 'unknown option --bogus (see --help)'],
    [['--port'], '--port needs a value (see --help)'],
    [['--port', '--tasks', '5'], '--port needs a value (see --help)'],
    [['--tasks', '5', '--seat-query'], '--seat-query needs a value (see --help)'],
    [['--port', '--'], '--port needs a value (see --help)'],
    [['--help=yes'], '--help takes no value (see --help)'],
    [['--port', 'abc'], '--port must be an integer between 0 and 65535 (got "abc")'],
    [['--port=abc'], '--port must be an integer between 0 and 65535 (got "abc")'],
    [['--seat-query', 'all'], '--seat-query must be one of range|legacy (got "all")'],
    [['--port', '1', 'extra'], 'unexpected argument #3: this CLI takes no positional arguments'],
    [['-x'], 'unexpected argument "-x"'],
    [['--Port=1'], 'unexpected argument "--Port"…'],
  ])('%j → one-line OptionError', (argv, message) => {
    expect(errorOf(argv)).toContain(message)
  })

  it('reports the first bad token, in command-line order', () => {
    expect(errorOf(['--bogus', '--port'])).toContain('unknown option --bogus')
    expect(errorOf(['--port', '--bogus', 'x'])).toContain('--port needs a value')
  })

  it('never repeats a stray token (it may be the secret)', () => {
    for (const argv of [
      ['--api-secret', 'S3cr3t-Value', 'S3cr3t-Value'],
      ['--', 'S3cr3t-Value'],
      ['--api-secret', '-S3cr3t-Value', 'S3cr3t-Value'],
      ['--apiSecret', 'S3cr3t-Value'],
    ]) {
      expect(errorOf(argv), argv.join(' ')).not.toContain('3cr3t-Value')
    }
  })

  it('keeps the precedence command line > environment > config file > default', () => {
    const file = join(tmp, 'precedence.json')
    writeFileSync(file, JSON.stringify({ tasks: 1, seed: 2, seats: 3, seatQuota: 4 }))
    const env = { LAAFFIC_MOCK_TASKS: '10', LAAFFIC_MOCK_SEED: '20', LAAFFIC_MOCK_SEAT_QUOTA: '' }
    const { options } = parse(['--config', file, '--tasks', '100'], env)
    expect(options.tasks).toBe(100) // command line
    expect(options.seed).toBe(20) // environment
    expect(options.seats).toBe(3) // config file
    expect(options.seatQuota).toBe(4) // an empty variable does not count
    expect(options.port).toBe(DEFAULT_OPTIONS.port)
  })

  it('reads the config path from LAAFFIC_MOCK_CONFIG unless --config names one', () => {
    const a = join(tmp, 'a.json')
    const b = join(tmp, 'b.json')
    writeFileSync(a, JSON.stringify({ seats: 7 }))
    writeFileSync(b, JSON.stringify({ seats: 9 }))
    expect(parse([], { LAAFFIC_MOCK_CONFIG: a }).options.seats).toBe(7)
    expect(parse(['--config', b], { LAAFFIC_MOCK_CONFIG: a }).options.seats).toBe(9)
  })

  it('names the variable for a bad environment value, and LAAFFIC_MOCK_QUIET=1 means --quiet', () => {
    expect(errorOf([], { LAAFFIC_MOCK_SEAT_QUERY_MAX_DAYS: '0' })).toBe(
      'LAAFFIC_MOCK_SEAT_QUERY_MAX_DAYS must be an integer between 1 and 366 (got "0")',
    )
    expect(parse([], { LAAFFIC_MOCK_QUIET: '1' }).options.logLevel).toBe('error')
  })
})

describe('the /v3/cc and account options', () => {
  it('have the documented defaults', () => {
    expect(resolveOptions()).toMatchObject({
      seatQuery: 'range',
      seatQueryMaxDays: 32,
      duplicateGroupStatus: -20,
      missingIdStatus: -22,
      seatQuota: 500,
      seats: 48,
      groupNameMatch: 'contains',
      maxAccounts: 100,
      accountTasks: 1000,
    } satisfies Partial<MockOptions>)
  })

  it.each([
    ['seatQuery', 'legacy', 'bogus'],
    ['seatQueryMaxDays', 366, 367],
    ['seatQueryMaxDays', 1, 0],
    ['duplicateGroupStatus', -999, -1000],
    ['duplicateGroupStatus', -1, 0],
    ['missingIdStatus', -24, 22],
    ['seatQuota', 0, -1],
    ['seatQuota', 1_000_000, 1_000_001],
    ['seats', 1_000_000, 1_000_001],
    ['groupNameMatch', 'exact', 'prefix'],
    ['maxAccounts', 10_000, 10_001],
    ['accountTasks', 0, -1],
  ] as const)('%s accepts %j and rejects %j', (key, good, bad) => {
    expect(resolveOptions({ [key]: good })[key]).toBe(good)
    expect(() => resolveOptions({ [key]: bad })).toThrow(OptionError)
  })

  it('each can be set by flag and by environment variable', () => {
    for (const [key, flag, env, value, parsed] of [
      ['seatQuery', 'seat-query', 'SEAT_QUERY', 'legacy', 'legacy'],
      ['seatQueryMaxDays', 'seat-query-max-days', 'SEAT_QUERY_MAX_DAYS', '31', 31],
      ['duplicateGroupStatus', 'duplicate-group-status', 'DUPLICATE_GROUP_STATUS', '-33', -33],
      ['missingIdStatus', 'missing-id-status', 'MISSING_ID_STATUS', '-24', -24],
      ['seatQuota', 'seat-quota', 'SEAT_QUOTA', '3', 3],
      ['seats', 'seats', 'SEATS', '0', 0],
      ['groupNameMatch', 'group-name-match', 'GROUP_NAME_MATCH', 'exact', 'exact'],
      ['maxAccounts', 'max-accounts', 'MAX_ACCOUNTS', '0', 0],
      ['accountTasks', 'account-tasks', 'ACCOUNT_TASKS', '5', 5],
    ] as const) {
      expect(parse([`--${flag}`, value]).options[key], flag).toBe(parsed)
      expect(parse([], { [`LAAFFIC_MOCK_${env}`]: value }).options[key], env).toBe(parsed)
    }
  })

  it('accountTasks stays within what an account may ask for: the larger of tasks and 100000', () => {
    expect(ACCOUNT_TASKS_FLOOR).toBe(100_000)
    expect(accountTasksLimit({ tasks: 237 })).toBe(100_000)
    expect(accountTasksLimit({ tasks: 250_000 })).toBe(250_000)
    expect(resolveOptions({ accountTasks: 100_000 }).accountTasks).toBe(100_000)
    expect(() => resolveOptions({ accountTasks: 100_001 })).toThrow(/at most 100000/)
    expect(resolveOptions({ tasks: 250_000, accountTasks: 250_000 }).accountTasks).toBe(250_000)
    expect(errorOf(['--account-tasks', '100001'])).toContain('accountTasks (--account-tasks) must be at most')
  })

  it('are all shown by publicOptions (what /__admin/config answers), the secret masked', () => {
    const shown = publicOptions(resolveOptions())
    expect(Object.keys(shown).sort()).toEqual(Object.keys(DEFAULT_OPTIONS).sort())
    expect(shown.apiSecret).toBe('7******9')
    expect(shown).toMatchObject({ seatQuery: 'range', missingIdStatus: -22, accountTasks: 1000 })
  })
})

describe('--help', () => {
  const help = helpText()

  it('lists every option with its variable, default and assumption mark', () => {
    for (const def of OPTION_DEFS) {
      const line = help.split('\n').find((l) => l.startsWith(`  --${def.flag} `))
      expect(line, def.flag).toBeDefined()
      expect(line).toContain(`(LAAFFIC_MOCK_${def.env})`)
      expect(line).toContain(`[${def.defaultText}]`)
      expect(line?.endsWith(' *'), def.flag).toBe(def.assumption === true)
      // The flag column never runs into the description.
      expect(line, def.flag).toMatch(new RegExp(`^  --${def.flag} \\S+ {2,}\\S`))
    }
  })

  it('sends readers to the README, not to a file outside the repository', () => {
    expect(help).toContain('"Assumptions" table')
    expect(help).toContain('apps/mock-server/README.md')
    expect(help).not.toContain('REFERENCE.md')
  })
})

describe('README.md', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')

  it('has one row in the Assumptions table for every option marked assumption, and no other', () => {
    const rows = tableAfter(readme, '## Assumptions')
    const documented = rows.map(
      (cells) => /^`(\w+)`/.exec(cells[0] ?? '')?.[1] ?? `(unreadable: ${cells[0]})`,
    )
    const assumptions = OPTION_DEFS.filter((d) => d.assumption)
    expect([...documented].sort()).toEqual(assumptions.map((d) => d.key).sort())
    expect(new Set(documented).size).toBe(documented.length)
    for (const cells of rows) {
      const def = OPTION_DEFS.find((d) => cells[0]?.startsWith(`\`${d.key}\``))
      expect(cells[0], 'names the flag too').toContain(`\`--${def?.flag}\``)
      expect(cells[1], `${def?.key} default`).toBe(def?.defaultText)
      expect(cells[2]?.length, `${def?.key}: what the vendor leaves open`).toBeGreaterThan(20)
      expect(cells[3]?.length, `${def?.key}: source`).toBeGreaterThan(5)
      expect(cells.join(' '), 'no link to a file outside the repository').not.toMatch(/\]\(|REFERENCE\.md/)
    }
  })

  it('has one row in the Options table for every option, with its variable, key, default and mark', () => {
    const rows = tableAfter(readme, '## Options')
    for (const def of OPTION_DEFS) {
      const row = rows.find((cells) => cells[0]?.startsWith(`\`--${def.flag} `))
      expect(row, def.flag).toBeDefined()
      expect(row?.[1]).toBe(`\`LAAFFIC_MOCK_${def.env}\``)
      expect(row?.[2]).toBe(`\`${def.key}\``)
      expect(row?.[3]).toBe(def.defaultText)
      expect(row?.[4]?.includes('**(assumption)**'), def.flag).toBe(def.assumption === true)
    }
  })
})

/** The body rows of the first Markdown table after `heading`, as trimmed cells. */
function tableAfter(markdown: string, heading: string): string[][] {
  const start = markdown.indexOf(`\n${heading}\n`)
  expect(start, heading).toBeGreaterThanOrEqual(0)
  const lines = markdown.slice(start).split('\n')
  const first = lines.findIndex((l) => l.startsWith('|'))
  const table: string[] = []
  for (const line of lines.slice(first)) {
    if (!line.startsWith('|')) break
    table.push(line)
  }
  return table.slice(2).map((line) =>
    line
      .trim()
      .slice(1, -1)
      .split(/(?<!\\)\|/)
      .map((cell) => cell.trim()),
  )
}

/** A valid value, different from the default, for each option. */
function sampleValue(key: keyof MockOptions): string {
  const samples: Record<keyof MockOptions, string> = {
    port: '0',
    host: '0.0.0.0',
    apiKey: 'k',
    apiSecret: 's',
    tasks: '12',
    seed: '3',
    data: 'fixtures.json',
    now: '1630468800',
    timestampWindow: '60',
    allowIp: '10.0.0.0/8',
    latency: '10-20',
    statusType: 'string',
    logFormat: 'json',
    logLevel: 'warn',
    utcOffset: '-05:30',
    unknownFields: 'ignore',
    overflow: 'first',
    order: 'oldest',
    endDate: 'day-start',
    groupMatch: 'all',
    completedRate: 'string',
    signCase: 'lower',
    maxBodyBytes: '1024',
    journalSize: '10',
    stateStore: 'redis://127.0.0.1:6379/1',
    workers: '2',
    replica: 'r1',
    seatQuery: 'legacy',
    seatQueryMaxDays: '31',
    duplicateGroupStatus: '-33',
    missingIdStatus: '-24',
    seatQuota: '3',
    seats: '5',
    groupNameMatch: 'exact',
    maxAccounts: '2',
    accountTasks: '7',
    uploadMaxBytes: '2048',
    uploadInvalidRows: 'reject',
    uploadContainerMismatch: 'accept',
    submitTaskData: 'null',
    taskStartSeconds: '0',
    autoDialRate: '60',
    seatDialRate: '5',
    idleGroupDialing: 'stall',
    calloutRateMax: '3',
    editStatuses: '11,16',
    cancelStatuses: '1,2,11',
    resendStatuses: '12',
    editCancelTypes: 'group-call',
    appsWithoutRate: '1000012,1000015',
    taskQuota: '10',
    replay: 'traffic.har',
    replayMiss: 'not-found',
  }
  return samples[key]
}
