#!/usr/bin/env node
// `pnpm contract [--target mock,prism-proxy|sandbox|all] [--seed N] [--runs N] [--record file.har]`:
// the contract suite with a readable command line, since vitest itself rejects unknown flags.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import { parseArgs } from 'node:util'

const TARGETS = ['mock', 'mock-http', 'prism-proxy', 'sandbox', 'sandbox-selftest', 'all']
const RECORD_VAR = 'LAAFFIC_RECORD'
let args
try {
  args = parseArgs({
    // `pnpm contract -- --x` hands the script a literal `--` first; accept both spellings.
    args: process.argv.slice(2).filter((a, i) => !(i === 0 && a === '--')),
    options: {
      target: { type: 'string' },
      seed: { type: 'string' },
      runs: { type: 'string' },
      record: { type: 'string' },
      replayed: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: false,
  }).values
} catch (error) {
  console.error(`contract: ${error.message} (try --help)`)
  process.exit(2)
}
if (args.help) {
  console.log(`Usage: pnpm contract [--target <${TARGETS.join('|')}>[,…]] [--seed N] [--runs N] [--record file.har]

  --target   which targets to run (default: every local one; sandbox runs when
             LAAFFIC_BASE_URL, LAAFFIC_API_KEY and LAAFFIC_API_SECRET are set)
  --seed     fast-check seed for the fuzzing cases (default fixed)
  --runs     fast-check runs per property (default 150)
  --record   run the sandbox target through \`laaffic-mock proxy\` and keep its redacted
             HAR recording in this file (or set ${RECORD_VAR}); a relative path is taken
             from the repository root. The sandbox key and secret go only to
             the proxy; the suite signs with credentials made up for the run.
  --replayed the sandbox target's server replays this recording (laaffic-mock --replay):
             send the recorded run's date windows again, so its requests match

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
if (args.record !== undefined) env[RECORD_VAR] = args.record
const WINDOW_END_VAR = 'LAAFFIC_CONTRACT_WINDOW_END'
if (args.replayed !== undefined && env[RECORD_VAR]?.trim()) {
  console.error('contract: --record and --replayed do not go together')
  process.exit(2)
}
// With only sandbox targets selected, the fuzzing and drift files (mock-only) are left out.
const files =
  args.target && !/mock|prism|all/.test(args.target)
    ? ['test/contract.test.ts', 'test/operations.test.ts', 'test/write-guard.test.ts']
    : []

/**
 * The package's own dist (record.js and what it imports) is built by `pnpm test`, not by
 * `pnpm contract` (turbo builds only the dependencies for it): rebuild it when a source is newer.
 */
function ensureBuilt() {
  const sources = ['src/record.ts', 'src/env.ts', 'src/processes.ts']
  const built = 'dist/record.js'
  const stale = !existsSync(built) || sources.some((s) => statSync(s).mtimeMs > statSync(built).mtimeMs)
  if (!stale) return
  const tsc = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
    stdio: 'inherit',
  })
  if (tsc.status !== 0) {
    console.error('contract: building src/record.ts failed')
    process.exit(1)
  }
}

/** Runs vitest as a child and resolves with its exit code; our own signals are passed on to it. */
function runVitest(vitestEnv) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', ...files], {
      stdio: 'inherit',
      env: vitestEnv,
    })
    // Ctrl-C reaches vitest (same process group) by itself; we stay alive to stop the proxy.
    const pass = (signal) => () => child.kill(signal)
    const onInt = pass('SIGINT')
    const onTerm = pass('SIGTERM')
    process.on('SIGINT', onInt)
    process.on('SIGTERM', onTerm)
    child.once('exit', (code, signal) => {
      process.off('SIGINT', onInt)
      process.off('SIGTERM', onTerm)
      resolve(code ?? (signal ? 1 : 0))
    })
  })
}

if (args.replayed !== undefined) {
  ensureBuilt()
  const { recordedWindowEnd, workspaceRoot } = await import('../dist/record.js')
  const { resolve } = await import('node:path')
  const file = resolve(workspaceRoot(process.cwd()), args.replayed)
  let end
  try {
    end = recordedWindowEnd(readFileSync(file, 'utf8'))
  } catch (error) {
    console.error(`contract: --replayed ${file}: ${error.code ?? error.message}`)
    process.exit(2)
  }
  if (end !== undefined) env[WINDOW_END_VAR] = String(end)
  console.log(
    `contract: replaying ${file}; date windows end at ${end ? new Date(end).toISOString() : 'now (none recorded)'}`,
  )
}

const record = env[RECORD_VAR]?.trim()
if (!record) process.exit(await runVitest(env))

// Recording: the sandbox target runs through `laaffic-mock proxy --record`.
const selected = env.LAAFFIC_CONTRACT_TARGETS?.split(',').map((t) => t.trim())
if (selected && !selected.includes('sandbox') && !selected.includes('all')) {
  console.error('contract: --record records the sandbox target; add --target sandbox')
  process.exit(2)
}
ensureBuilt()
// One instant for every date window of the run, so `--replayed` can send the same bodies again.
env[WINDOW_END_VAR] ||= String(Date.now())
const { envThroughProxy, recordPath, startRecordingProxy, workspaceRoot } = await import('../dist/record.js')
const { readSandboxEnv } = await import('../dist/env.js')
let sandbox
try {
  sandbox = readSandboxEnv(env)
} catch (error) {
  console.error(`contract: ${error.message}`)
  process.exit(2)
}
if (!sandbox.config) {
  console.error(`contract: --record needs the sandbox: set ${sandbox.missing.join(', ')}`)
  process.exit(2)
}
const file = recordPath(env, workspaceRoot(process.cwd()))
mkdirSync(dirname(file), { recursive: true })
let proxy
try {
  proxy = await startRecordingProxy(env, file)
} catch (error) {
  console.error(`contract: the recording proxy did not start: ${error.message}`)
  process.exit(1)
}
console.log(`contract: sandbox through ${proxy.url} (laaffic-mock proxy), recording to ${file}`)
let code
try {
  code = await runVitest(envThroughProxy(env, proxy))
} finally {
  const proxyExit = await proxy.stop()
  const report = proxy.process.output().match(/report (\{.*\})/)?.[1]
  let entries = 0
  try {
    entries = JSON.parse(readFileSync(file, 'utf8')).log.entries.length
  } catch {}
  console.log(
    `contract: recorded ${entries} exchange(s) to ${file}${report ? `; proxy report ${report}` : ''}`,
  )
  if (proxyExit !== 0) {
    console.error(`contract: the recording proxy exited with ${proxyExit}: the recording may be incomplete`)
    code ||= 1
  }
}
process.exit(code)
