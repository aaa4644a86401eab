import { randomBytes } from 'node:crypto'
import { renameSync, unlinkSync, writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { parseArgs } from 'node:util'
import { DEFAULT_OPTIONS, OptionError } from '../options.js'
import { readHarFile } from '../replay/book.js'
import { fixturesFromHar } from './har-to-fixtures.js'

export function importHelpText(): string {
  return [
    'Usage: laaffic-mock import <file.har> --out <fixtures.json>',
    '',
    'Turns the task records of a recording (laaffic-mock proxy --record) into a fixture file for',
    '`laaffic-mock --data`. Each taskId once, its latest recorded state; checked as --data checks',
    'them. --data holds tasks only: seat groups and seats are counted, not imported.',
    '',
    '  --out <file.json>   where the fixtures go (written whole, then renamed)',
    '  -h, --help          this text',
  ].join('\n')
}

function usageError(message: string): never {
  process.stderr.write(`laaffic-mock: ${message.replace(/\s+/g, ' ')}\n`)
  process.exit(2)
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
    writeFileSync(temp, `${JSON.stringify({ records: result.records }, null, 2)}\n`)
    renameSync(temp, out)
  } catch (err) {
    try {
      unlinkSync(temp)
    } catch {}
    usageError(`import: cannot write --out ${out} (${(err as NodeJS.ErrnoException).code ?? 'error'})`)
  }
  process.stdout.write(
    `laaffic-mock import: ${result.records.length} tasks from ${result.taskPages} preview/query answers → ${out}` +
      ` (serve with --data ${out}); not imported (--data holds tasks only): ${result.groupsSeen} seat groups, ${result.seatsSeen} seats\n`,
  )
}
