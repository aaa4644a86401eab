#!/usr/bin/env node
// `pnpm drift`: sends the same read-only probes to the mock and to a second server and lists,
// per field, where they disagree. B defaults to the LAAFFIC_* sandbox variables.
import { mkdirSync, writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { formatDriftMarkdown, runDrift } from '../dist/drift.js'
import { startMockProcess } from '../dist/processes.js'

let args
try {
  args = parseArgs({
    // `pnpm contract -- --x` hands the script a literal `--` first; accept both spellings.
    args: process.argv.slice(2).filter((a, i) => !(i === 0 && a === '--')),
    options: {
      'a-url': { type: 'string' },
      'a-key': { type: 'string' },
      'a-secret': { type: 'string' },
      'b-url': { type: 'string', default: process.env.LAAFFIC_BASE_URL },
      'b-key': { type: 'string', default: process.env.LAAFFIC_API_KEY },
      'b-secret': { type: 'string', default: process.env.LAAFFIC_API_SECRET },
      out: { type: 'string', default: 'reports/drift.md' },
      'fail-on-drift': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  }).values
} catch (error) {
  console.error(`drift: ${error.message} (try --help)`)
  process.exit(2)
}
if (args.help) {
  console.log(`Usage: pnpm drift [--b-url URL --b-key KEY --b-secret SECRET] [--a-url URL …] [--out FILE] [--fail-on-drift]

A defaults to a fresh laaffic-mock with its default credentials; B defaults to
LAAFFIC_BASE_URL / LAAFFIC_API_KEY / LAAFFIC_API_SECRET. Only read-only queries and
side-effect-free failures (bad Sign, old Timestamp, invalid bodies) are sent.`)
  process.exit(0)
}
for (const k of ['b-url', 'b-key', 'b-secret'])
  if (!args[k]) {
    console.error(`drift: --${k} is required (or set LAAFFIC_BASE_URL, LAAFFIC_API_KEY, LAAFFIC_API_SECRET)`)
    process.exit(2)
  }
for (const k of ['a-url', 'b-url'])
  if (args[k]) {
    try {
      new URL(args[k])
    } catch {
      console.error(`drift: --${k} is not a URL: ${JSON.stringify(args[k])}`)
      process.exit(2)
    }
  }

const mock = args['a-url'] ? undefined : await startMockProcess(['--log-format', 'json'])
try {
  const report = await runDrift(
    {
      name: args['a-url'] ?? 'laaffic-mock',
      baseUrl: args['a-url'] ?? mock.url,
      apiKey: args['a-key'] ?? 'bDqJFiq9',
      apiSecret: args['a-secret'] ?? '7bz1lzh9',
    },
    {
      name: new URL(args['b-url']).host,
      baseUrl: args['b-url'],
      apiKey: args['b-key'],
      apiSecret: args['b-secret'],
    },
  )
  const md = formatDriftMarkdown(report)
  mkdirSync(new URL('.', `file://${process.cwd()}/${args.out}`).pathname, { recursive: true })
  writeFileSync(args.out, md)
  console.log(md)
  console.log(`written to ${args.out}`)
  if (args['fail-on-drift'] && report.differences.length > 0) process.exitCode = 1
} finally {
  await mock?.stop()
}
