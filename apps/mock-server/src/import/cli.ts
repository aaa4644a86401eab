import { randomBytes } from 'node:crypto'
import { renameSync, unlinkSync, writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { parseArgs } from 'node:util'
import { usageError } from '../cli-common.js'
import { DEFAULT_OPTIONS, OptionError } from '../options.js'
import { readHarFile } from '../replay/book.js'
import { fixturesFromHar } from './har-to-fixtures.js'

export function importHelpText(): string {
  return [
    'Usage: laaffic-mock import <file.har> --out <fixtures.json>',
    '',
    'Turns a recording (laaffic-mock proxy --record) into a fixture world for `laaffic-mock --data`:',
    'its tasks (each taskId once, latest recorded state), seat groups and seats, checked as --data',
    'checks them. Seats get generated passwords (recordings hold none).',
    '',
    '  --out <file.json>   where the fixtures go (written whole, then renamed)',
    '  -h, --help          this text',
  ].join('\n')
}

/** `laaffic-mock import …`: argv is what follows the word `import`. */
export function runImportCli(argv: readonly string[]): void {
  let values: { out?: string | undefined; help?: boolean | undefined }
  let positionals: string[]
  try {
    ;({ values, positionals } = parseArgs({
      args: argv.filter((a) => a !== '--'),
      options: { out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    }))
  } catch (err) {
    usageError(`import: ${(err as Error).message.split('\n')[0]} (see laaffic-mock import --help)`)
  }
  if (values.help) {
    process.stdout.write(`${importHelpText()}\n`)
    return
  }
  const [file, ...extra] = positionals
  if (file === undefined)
    usageError('import: name the recording (laaffic-mock import <file.har> --out <fixtures.json>)')
  if (extra.length > 0) usageError(`import: one recording at a time (got ${positionals.length})`)
  if (!values.out) usageError('import: --out <fixtures.json> is required')
  const out = values.out
  let result: ReturnType<typeof fixturesFromHar>
  try {
    const label = `import ${file}`
    result = fixturesFromHar(readHarFile(file, label), label, DEFAULT_OPTIONS.utcOffset)
  } catch (err) {
    if (err instanceof OptionError) usageError(err.message)
    throw err
  }
  const temp = join(dirname(out), `.${basename(out)}.${randomBytes(4).toString('hex')}.tmp`)
  try {
    const world = { records: result.records, groups: result.groups, seats: result.seats }
    writeFileSync(temp, `${JSON.stringify(world, null, 2)}\n`)
    renameSync(temp, out)
  } catch (err) {
    try {
      unlinkSync(temp)
    } catch {}
    usageError(`import: cannot write --out ${out} (${(err as NodeJS.ErrnoException).code ?? 'error'})`)
  }
  process.stdout.write(
    `laaffic-mock import: ${result.records.length} tasks from ${result.taskPages} preview/query answers, ` +
      `${result.groups.length} seat groups, ${result.seats.length} seats → ${out} (serve with --data ${out})` +
      (result.groupsWithoutApp > 0
        ? `; ${result.groupsWithoutApp} groups left out (no recorded seat or task names their appId)`
        : '') +
      '\n',
  )
}
