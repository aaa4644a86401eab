import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Reporter, TestModule } from 'vitest/node'
import {
  buildMatrix,
  entriesOf,
  type MatrixEntry,
  matrixSummary,
  matrixToMarkdown,
  matrixToText,
} from './matrix.js'
import { TARGET_ORDER } from './target-names.js'

/**
 * Builds the operation × status × target matrix from the test results themselves (each contract
 * case carries `meta.contract`), prints it, and writes it to reports/ for CI systems.
 */
export default class MatrixReporter implements Reporter {
  private readonly outDir: string

  // Vitest hands a reporter its options object from the config tuple.
  constructor(options: { outDir?: string } = {}) {
    this.outDir = options.outDir ?? 'reports'
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const entries: MatrixEntry[] = []
    for (const mod of testModules)
      for (const test of mod.children.allTests()) {
        const meta = test.meta().contract
        if (!meta) continue
        const result = test.result().state
        const state = result === 'failed' ? 'failed' : result === 'passed' ? 'passed' : 'skipped'
        entries.push(...entriesOf(meta, test.fullName, state))
      }
    if (entries.length === 0) return
    const matrix = buildMatrix(entries, TARGET_ORDER)
    mkdirSync(this.outDir, { recursive: true })
    writeFileSync(
      join(this.outDir, 'contract-matrix.json'),
      `${JSON.stringify({ matrix, entries }, null, 2)}\n`,
    )
    const summary = matrixSummary(matrix)
    writeFileSync(
      join(this.outDir, 'contract-matrix.md'),
      `${matrixToMarkdown(matrix)}\n${summary.map((l) => `- ${l}`).join('\n')}\n`,
    )
    console.log(
      `\nContract coverage (operation × status × target), also in ${this.outDir}/contract-matrix.md:\n`,
    )
    console.log(matrixToText(matrix))
    console.log(`\n${summary.join('\n')}`)
  }
}
