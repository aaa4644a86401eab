/**
 * Runs the replicas benchmark alone (`node packages/benchmarks/dist/replicas-run.js`) and writes
 * its section into BENCHMARKS.md, replacing an earlier one and keeping everything else as it is.
 * `pnpm bench` runs it too (name `replicas`).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { BENCHMARKS_MD } from './paths.js'
import { replicas } from './replicas.js'
import { load1, renderSection } from './report.js'
import { markdownTable, verdict } from './table.js'

const START = '<!-- bench:replicas:start -->'
const END = '<!-- bench:replicas:end -->'

const started = new Date()
const loadBefore = load1()
const section = await replicas()
section.load = [loadBefore, load1()]
const rendered = renderSection(section, started)
console.log(`\n## ${section.title}\n\n${section.body}\n`)
console.log(
  markdownTable(
    ['target', 'measured', 'verdict'],
    section.targets.map((t) => [t.target, t.measured, verdict(t.ok, t.missedBy)]),
  ),
)
const existing = existsSync(BENCHMARKS_MD) ? readFileSync(BENCHMARKS_MD, 'utf8') : ''
const from = existing.indexOf(START)
const to = existing.indexOf(END)
const next =
  from >= 0 && to > from
    ? existing.slice(0, from) + rendered + existing.slice(to + END.length)
    : existing.includes('<!-- bench:analysis:start -->')
      ? existing.replace('<!-- bench:analysis:start -->', `${rendered}\n\n<!-- bench:analysis:start -->`)
      : `${existing.trimEnd()}\n\n${rendered}\n`
writeFileSync(BENCHMARKS_MD, next)
console.log(`\nwrote the replicas section of ${BENCHMARKS_MD}`)
