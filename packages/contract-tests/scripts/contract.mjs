#!/usr/bin/env node
// `pnpm contract [--target mock,prism-proxy|sandbox|all] [--seed N] [--runs N]`: the contract
// suite with a readable command line, since vitest itself rejects unknown flags.
import { spawnSync } from 'node:child_process'
import { parseArgs } from 'node:util'

const TARGETS = ['mock', 'mock-http', 'prism-proxy', 'sandbox', 'sandbox-selftest', 'all']
let args
try {
  args = parseArgs({
    // `pnpm contract -- --x` hands the script a literal `--` first; accept both spellings.
    args: process.argv.slice(2).filter((a, i) => !(i === 0 && a === '--')),
    options: {
      target: { type: 'string' },
      seed: { type: 'string' },
      runs: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: false,
  }).values
} catch (error) {
  console.error(`contract: ${error.message} (try --help)`)
  process.exit(2)
}
if (args.help) {
  console.log(`Usage: pnpm contract [--target <${TARGETS.join('|')}>[,…]] [--seed N] [--runs N]

  --target   which targets to run (default: every local one; sandbox runs when
             LAAFFIC_BASE_URL, LAAFFIC_API_KEY and LAAFFIC_API_SECRET are set)
  --seed     fast-check seed for the fuzzing cases (default fixed)
  --runs     fast-check runs per property (default 150)

  The sandbox is read-only unless LAAFFIC_SANDBOX_WRITES=1: then the suite creates one
  seat group named lkit-ct-<random> (under LAAFFIC_SANDBOX_APP_ID, or a listed seat's
  application) and two seats in it, and deletes them again, even when a case fails. It
  never submits or resends a task.

Reports: reports/contract-matrix.md, reports/contract-matrix.json, reports/junit.xml`)
  process.exit(0)
}
const env = { ...process.env }
if (args.target) {
  const bad = args.target.split(',').filter((t) => !TARGETS.includes(t.trim()))
  if (bad.length) {
    console.error(`contract: unknown target ${bad.join(', ')}; choose from ${TARGETS.join(', ')}`)
    process.exit(2)
  }
  env.LAAFFIC_CONTRACT_TARGETS = args.target
}
for (const [flag, name] of [
  ['seed', 'FC_SEED'],
  ['runs', 'FC_RUNS'],
]) {
  if (args[flag] === undefined) continue
  if (!/^[1-9]\d*$/.test(args[flag])) {
    console.error(`contract: --${flag} takes a whole number of at least 1, got ${JSON.stringify(args[flag])}`)
    process.exit(2)
  }
  env[name] = args[flag]
}
// With only sandbox targets selected, the fuzzing and drift files (mock-only) are left out.
const files =
  args.target && !/mock|prism|all/.test(args.target)
    ? ['test/contract.test.ts', 'test/operations.test.ts', 'test/write-guard.test.ts']
    : []
const result = spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', ...files], {
  stdio: 'inherit',
  env,
})
process.exit(result.status ?? 1)
