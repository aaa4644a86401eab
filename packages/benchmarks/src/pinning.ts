/**
 * CPU pinning. On a 2-core machine the load generator (autocannon, in the harness process) and
 * the server under test otherwise fight over both cores: the scheduler moves them around, and
 * a fast server's numbers mostly measure that fight (bare Hono: 8.5–14k req/s unpinned vs a
 * steady 14.5–15k pinned, same minute). So by default the harness takes all but the last CPU
 * this process may run on and every server the last one, with Linux `taskset`. BENCH_PIN=0
 * turns it off; it is off by itself without `taskset`, with fewer than two allowed CPUs, or
 * when `taskset` refuses (the run then goes on unpinned and says so).
 */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

export interface Pinning {
  /** taskset CPU list for servers, e.g. "1" */
  server: string
  /** taskset CPU list for the harness (load generator, clients), e.g. "0" */
  harness: string
}

/** "0-3,6,8-9" (the kernel's list format) → [0, 1, 2, 3, 6, 8, 9]. */
export function parseCpuList(text: string): number[] {
  const out: number[] = []
  for (const part of text.trim().split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim())
    if (!m) continue
    const from = Number(m[1])
    const to = m[2] === undefined ? from : Number(m[2])
    for (let c = from; c <= to; c++) out.push(c)
  }
  return out
}

/** The CPUs this process may use (a cpuset or an outer taskset can make them any ids). */
function allowedCpus(): number[] {
  try {
    const m = /^Cpus_allowed_list:\s*(.+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))
    return m?.[1] ? parseCpuList(m[1]) : []
  } catch {
    return []
  }
}

/** The last allowed CPU for servers, the rest for the harness; none when asked not to or not possible. */
export function choosePinning(
  cpus: readonly number[],
  env: Readonly<Record<string, string | undefined>>,
  canPin: () => boolean,
): Pinning | undefined {
  if (env.BENCH_PIN === '0' || cpus.length < 2 || !canPin()) return undefined
  return { server: String(cpus.at(-1)), harness: cpus.slice(0, -1).join(',') }
}

function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

let decided = false
let current: Pinning | undefined
let refusal: string | undefined

/** Decided on first use (not at import), so importing this module runs nothing. */
export function pinning(): Pinning | undefined {
  if (!decided) {
    decided = true
    current = process.platform === 'linux' ? choosePinning(allowedCpus(), process.env, hasTaskset) : undefined
  }
  return current
}

/** Moves this process (all its threads) to the harness CPUs; children it spawns inherit them. */
export function pinHarness(): void {
  const p = pinning()
  if (!p) return
  try {
    execFileSync('taskset', ['-a', '-p', '-c', p.harness, String(process.pid)], { stdio: 'pipe' })
  } catch (err) {
    refusal = (err as { stderr?: Buffer }).stderr?.toString().trim() || String(err)
    current = undefined
  }
}

/** `command args` wrapped so that it runs on `cpus`, a taskset list (taskset execs it: same pid); as is without. */
export function onCpus(
  cpus: string | undefined,
  command: string,
  args: readonly string[],
): [string, string[]] {
  return cpus === undefined ? [command, [...args]] : ['taskset', ['-c', cpus, command, ...args]]
}

/** `command args` wrapped so that it runs on the server CPU when pinning is on. */
export function onServerCpu(command: string, args: readonly string[]): [string, string[]] {
  return onCpus(pinning()?.server, command, args)
}

/** One line for reports. */
export function pinningLine(): string {
  const p = pinning()
  if (p)
    return `servers pinned to CPU ${p.server}, the harness (load generator, clients) to CPU ${p.harness} with \`taskset\` (\`BENCH_PIN=0\` turns this off)`
  if (refusal) return `no CPU pinning (taskset refused: ${refusal})`
  return 'no CPU pinning (BENCH_PIN=0, fewer than two allowed CPUs, or no `taskset`)'
}
