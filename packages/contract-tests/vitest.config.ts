import { defineConfig } from 'vitest/config'

// A run started from inside a test (test/record.test.ts runs `pnpm contract --record`) writes
// its reports to a directory of its own, never over the outer run's.
const reports = process.env.LAAFFIC_CONTRACT_REPORTS_DIR?.trim() || undefined

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each file starts its own servers; running files one after another keeps ports and
    // CPU predictable on a 2-core machine.
    fileParallelism: false,
    reporters: [
      'default',
      ['json', { outputFile: reports ? `${reports}/.vitest-report.json` : '.vitest-report.json' }],
      ['junit', { outputFile: `${reports ?? 'reports'}/junit.xml`, suiteName: 'laaffic-kit contract tests' }],
      ['./src/matrix-reporter.ts', { outDir: reports ?? 'reports' }],
    ],
  },
})
