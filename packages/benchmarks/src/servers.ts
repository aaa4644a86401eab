/** How each contender server is started: always its own child process, 127.0.0.1, port 0. */
import { FROZEN_TS } from './fixtures.js'
import { bunBinary, distScript, MOCK_CLI, prismCli, SPEC_PATH } from './paths.js'
import { type ServerProcess, spawnServer } from './processes.js'

export interface MockStartOptions {
  tasks?: number
  /** Mock log level; the access log is written at `info`. Default `error` (quiet). */
  logLevel?: 'debug' | 'info' | 'warn' | 'error' | 'silent'
  /** Freeze the mock clock (default true: precomputed signatures stay valid). */
  frozen?: boolean
  /** Extra `node` flags, e.g. `--cpu-prof`. The CLI then runs under servers/profiled.js. */
  nodeFlags?: string[]
  extraArgs?: string[]
}

export function mockArgs(o: MockStartOptions = {}): string[] {
  const args = ['--host', '127.0.0.1', '--port', '0', '--log-level', o.logLevel ?? 'error']
  if (o.frozen !== false) args.push('--now', String(FROZEN_TS))
  if (o.tasks !== undefined) args.push('--tasks', String(o.tasks))
  return [...args, ...(o.extraArgs ?? [])]
}

export function startMock(o: MockStartOptions & { cli?: string } = {}): Promise<ServerProcess> {
  const flags = o.nodeFlags ?? []
  const cli = o.cli ?? MOCK_CLI
  const entry = flags.length > 0 ? [distScript('servers/profiled'), cli] : [cli]
  return spawnServer(process.execPath, [...flags, ...entry, ...mockArgs(o)], { timeoutMs: 60_000 })
}

export type PrismLogging = 'default' | 'quiet'

/**
 * `prism mock spec/openapi.yaml`. Default logging (`-v info`) prints every request and costs
 * about half its throughput; `quiet` is `-v warn`, which also hides the "listening on" line,
 * so the port is read from /proc instead.
 */
export function prismArgs(logging: PrismLogging): string[] {
  const args = [prismCli(), 'mock', SPEC_PATH, '--host', '127.0.0.1', '--port', '0']
  if (logging === 'quiet') args.push('-v', 'warn')
  return args
}

export function startPrism(logging: PrismLogging): Promise<ServerProcess> {
  return spawnServer(process.execPath, prismArgs(logging), {
    timeoutMs: 60_000,
    discover: logging === 'quiet' ? 'listen' : 'stdout',
  })
}

export function startBareHono(prebuilt = false): Promise<ServerProcess> {
  const args = [distScript('servers/bare-hono'), ...(prebuilt ? ['--prebuilt'] : [])]
  return spawnServer(process.execPath, args, { timeoutMs: 30_000 })
}

export function startRawNode(): Promise<ServerProcess> {
  return spawnServer(process.execPath, [distScript('servers/raw-node')], { timeoutMs: 30_000 })
}

/**
 * The same app under Bun (`servers/bun-mock.js` via Bun.serve), with the mock contender's
 * options (`--log-level error`, frozen clock). Throws when bun is not installed or cannot run.
 */
export function startBunMock(o: { logLevel?: string; module?: string } = {}): Promise<ServerProcess> {
  const bun = bunBinary()
  if (!bun) throw new Error('bun is not available (devDependency `bun`; its postinstall must have run)')
  const args = [
    distScript('servers/bun-mock'),
    '--now',
    String(FROZEN_TS),
    '--log-level',
    o.logLevel ?? 'error',
  ]
  if (o.module) args.push('--module', o.module)
  return spawnServer(bun, args, { timeoutMs: 60_000 })
}
