import { defineConfig } from 'vitest/config'

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
      ['json', { outputFile: '.vitest-report.json' }],
      ['junit', { outputFile: 'reports/junit.xml', suiteName: 'laaffic-kit contract tests' }],
      './src/matrix-reporter.ts',
    ],
  },
})
