import { type ChildProcess, spawn } from 'node:child_process'
import { readdirSync, readFileSync, readlinkSync } from 'node:fs'
import { spawnUntilUrl } from '@laaffic-kit/test-utils'
import { onCpus, onServerCpu } from './pinning.js'

/** Every child this process started and has not yet seen exit: killed on exit whatever happens. */
const live = new Set<ChildProcess>()

function killAllSync(): void {
  for (const child of live) {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL')
    } catch {
      try {
        child.kill('SIGKILL')
      } catch {}
    }
  }
}
process.on('exit', killAllSync)
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    killAllSync()
    process.exit(130)
  })
}

export interface ServerProcess {
  child: ChildProcess
  pid: number
  /** `http://127.0.0.1:PORT` */
  url: string
  /** Milliseconds from spawn() to the moment the URL was known. */
  readyMs: number
  /** Everything the child wrote so far (both streams), for error messages. */
  output: () => string
  /** SIGTERM, then SIGKILL after `graceMs`. Resolves once the child has exited. */
  stop: (graceMs?: number) => Promise<void>
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

export interface SpawnServerOptions {
  /** Extra environment variables. */
  env?: Record<string, string>
  cwd?: string
  /** Give up after this long without a URL. */
  timeoutMs?: number
  /**
   * How to learn the URL: `stdout` (default) waits for the first `http://host:port` printed;
   * `listen` looks the listening TCP port up in /proc (for servers that stay quiet).
   */
  discover?: 'stdout' | 'listen'
  /** On the server CPU (default), or unpinned for a server meant to use every core (`--workers`). */
  pinned?: boolean
}

const URL_RE = /http:\/\/(127\.0\.0\.1|localhost|\[::1\]|0\.0\.0\.0):(\d+)/

/**
 * Spawns a server in its own process group and waits until it has told (or shown) its port
 * (spawnUntilUrl from @laaffic-kit/test-utils). The URL is always given as 127.0.0.1.
 */
export async function spawnServer(
  command: string,
  args: readonly string[],
  options: SpawnServerOptions = {},
): Promise<ServerProcess> {
  const started = performance.now()
  const [file, argv] = options.pinned === false ? [command, [...args]] : onServerCpu(command, args)
  const listen = options.discover === 'listen'
  const server = await spawnUntilUrl(file, argv, {
    ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
    ...(options.env !== undefined ? { env: options.env } : {}),
    name: `${command} ${args.join(' ')}`,
    timeoutMs: options.timeoutMs ?? 30000,
    // Servers differ in where they print their URL: look at both streams.
    streams: 'both',
    processGroup: true, // stop() reaches grandchildren (Prism -m forks one)
    graceMs: 3000,
    match: listen
      ? false
      : (line) => {
          const m = URL_RE.exec(line)
          return m ? `http://127.0.0.1:${m[2]}` : undefined
        },
    ...(listen
      ? {
          poll: {
            intervalMs: 20,
            find: (pid: number) => {
              const port = listeningPorts(pid)[0]
              return port ? `http://127.0.0.1:${port}` : undefined
            },
          },
        }
      : {}),
    onSpawn: (child) => {
      live.add(child)
      child.once('exit', () => live.delete(child))
    },
  })
  return {
    child: server.child,
    pid: server.pid,
    url: server.url,
    readyMs: performance.now() - started,
    output: server.output,
    stop: async (graceMs?: number) => {
      await server.stop(graceMs)
    },
    exited: server.exited,
  }
}

/** Runs `fn` with servers started by `start`; stops every one of them afterwards, even on failure. */
export async function withServers<T>(
  starts: readonly (() => Promise<ServerProcess>)[],
  fn: (servers: ServerProcess[]) => Promise<T>,
): Promise<T> {
  const servers: ServerProcess[] = []
  try {
    for (const start of starts) servers.push(await start())
    return await fn(servers)
  } finally {
    await Promise.all(servers.map((s) => s.stop()))
  }
}

/** A process and all its descendants (Linux /proc). */
export function processTree(pid: number): number[] {
  const out = [pid]
  for (let i = 0; i < out.length; i++) {
    const p = out[i]!
    let tasks: string[] = []
    try {
      tasks = readdirSync(`/proc/${p}/task`)
    } catch {
      continue
    }
    for (const t of tasks) {
      try {
        const kids = readFileSync(`/proc/${p}/task/${t}/children`, 'utf8').trim()
        if (kids) for (const k of kids.split(/\s+/)) out.push(Number(k))
      } catch {}
    }
  }
  return out
}

/** TCP ports on which `pid` or one of its descendants listens (Linux /proc). */
export function listeningPorts(pid: number): number[] {
  const inodes = new Set<string>()
  for (const p of processTree(pid)) {
    let fds: string[] = []
    try {
      fds = readdirSync(`/proc/${p}/fd`)
    } catch {
      continue
    }
    for (const fd of fds) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${p}/fd/${fd}`))
        if (m) inodes.add(m[1]!)
      } catch {}
    }
  }
  const ports: number[] = []
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = ''
    try {
      text = readFileSync(table, 'utf8')
    } catch {
      continue
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/)
      // f[1] local address "0100007F:1F90", f[3] state (0A = LISTEN), f[9] inode
      if (f[3] === '0A' && f[9] && inodes.has(f[9])) ports.push(Number.parseInt(f[1]!.split(':')[1]!, 16))
    }
  }
  return ports
}

/** Resident set size of one process in bytes (VmRSS from /proc/<pid>/status). */
export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)
  if (!m) throw new Error(`no VmRSS for pid ${pid}`)
  return Number(m[1]) * 1024
}

/** RSS of a process plus its descendants (Prism with -m forks its HTTP server). */
export function treeRssBytes(pid: number): number {
  let sum = 0
  for (const p of processTree(pid)) {
    try {
      sum += rssBytes(p)
    } catch {}
  }
  return sum
}

/** Runs a Node script to completion and returns its stdout; rejects on a non-zero exit. */
export async function runNode(
  args: readonly string[],
  options: {
    cwd?: string
    env?: Record<string, string>
    timeoutMs?: number
    /** Run it on these CPUs (a taskset list, as `Pinning`'s), e.g. a server under test. */
    cpus?: string | undefined
  } = {},
): Promise<string> {
  const [command, argv] = onCpus(options.cpus, process.execPath, args)
  const child = spawn(command, argv, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  live.add(child)
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString()
  })
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString()
  })
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 300_000)
  try {
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)))
    if (code !== 0) throw new Error(`node ${args.join(' ')} exited with ${code}\n${stderr.slice(-4000)}`)
    return stdout
  } finally {
    clearTimeout(timer)
    live.delete(child)
    if (child.exitCode === null) child.kill('SIGKILL')
  }
}

/** Clock ticks per second of /proc's CPU times (USER_HZ: 100 on Linux everywhere that matters). */
const TICKS_PER_SECOND = 100

/**
 * CPU time (user + system, all threads) a process has used so far, in seconds, from
 * /proc/<pid>/stat. Differences over a load round give the server's CPU cost per request,
 * whatever limited the round's throughput.
 */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND
}
