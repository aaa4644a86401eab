/**
 * CPU pinning. On a 2-core machine the load generator (autocannon, in the harness process) and
 * the server under test otherwise fight over both cores: the scheduler moves them around, and
 * a fast server's numbers mostly measure that fight (bare Hono: 8.5–14k req/s unpinned vs a
 * steady 14.5–15k pinned, same minute). So by default the harness takes CPUs 0..n-2 and every
 * server the last CPU, with Linux `taskset`. BENCH_PIN=0 turns it off; it is off by itself
 * where `taskset` is missing or there is one CPU.
 */
import { execFileSync } from 'node:child_process'
import { availableParallelism } from 'node:os'

export interface Pinning {
  /** taskset CPU list for servers, e.g. "1" */
  server: string
  /** taskset CPU list for the harness (load generator, clients), e.g. "0" */
  harness: string
}

function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

/** The last CPU for servers, the rest for the harness; none when asked not to or not possible. */
export function choosePinning(
  cpus: number,
  env: Readonly<Record<string, string | undefined>>,
  canPin: () => boolean,
): Pinning | undefined {
  if (env.BENCH_PIN === '0' || cpus < 2 || !canPin()) return undefined
  return { server: String(cpus - 1), harness: cpus === 2 ? '0' : `0-${cpus - 2}` }
}

export const pinning: Pinning | undefined = choosePinning(
  availableParallelism(),
  process.env,
  () => process.platform === 'linux' && hasTaskset(),
)

/** Moves this process (all its threads) to the harness CPUs; children it spawns inherit them. */
export function pinHarness(): void {
  if (!pinning) return
  execFileSync('taskset', ['-a', '-p', '-c', pinning.harness, String(process.pid)], { stdio: 'ignore' })
}

/** `command args` wrapped so that it runs on the server CPU (taskset execs it: same pid). */
export function onServerCpu(command: string, args: readonly string[]): [string, string[]] {
  if (!pinning) return [command, [...args]]
  return ['taskset', ['-c', pinning.server, command, ...args]]
}

/** One line for reports. */
export function pinningLine(): string {
  return pinning
    ? `servers pinned to CPU ${pinning.server}, the harness (load generator, clients) to CPU ${pinning.harness} with \`taskset\` (\`BENCH_PIN=0\` turns this off)`
    : 'no CPU pinning (BENCH_PIN=0, one CPU, or no `taskset`)'
}
