#!/usr/bin/env node
// Sums every package's vitest JSON report into the one line CI reads:
// `N passed, N failed` (+ `, N skipped`). Vitest's own summary is per package and styled.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const reports = []
for (const group of ['spec', 'packages', 'apps']) {
  const dir = join(root, group)
  const candidates =
    group === 'spec'
      ? [dir]
      : readdirSync(dir)
          .map((name) => join(dir, name))
          .filter((p) => statSync(p).isDirectory())
  for (const pkg of candidates) {
    try {
      reports.push([pkg, JSON.parse(readFileSync(join(pkg, '.vitest-report.json'), 'utf8'))])
    } catch {
      // a package without tests writes no report; a crashed run fails the test step itself
    }
  }
}

let passed = 0
let failed = 0
let skipped = 0
for (const [pkg, r] of reports) {
  const p = r.numPassedTests ?? 0
  const f = (r.numFailedTests ?? 0) + (r.success === false && !r.numFailedTests ? 1 : 0)
  const s = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0)
  console.error(`  ${relative(root, pkg) || '.'}: ${p} passed, ${f} failed, ${s} skipped`)
  passed += p
  failed += f
  skipped += s
}
if (reports.length === 0) failed += 1
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`)
process.exitCode = failed > 0 ? 1 : 0
