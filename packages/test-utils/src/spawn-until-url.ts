import { type ChildProcess, spawn } from 'node:child_process'

/** How a process ended: the exit code, or the signal that ended it. */
export interface ExitInfo {
  code: number | null
  signal: NodeJS.Signals | null
}

export interface SpawnUntilUrlOptions {
  /** Added to (and overriding) this process's environment. */
  env?: NodeJS.ProcessEnv
  cwd?: string
  /** Give up (and stop the process) when no URL was found by then. Default 30 000 ms. */
  timeoutMs?: number
  /**
   * Finds the URL in one complete output line: a RegExp (its whole match is the URL) or a
   * function returning the URL or undefined. Default {@link URL_PATTERN}. `false` reads no
   * lines (use `poll`).
   */
  match?: RegExp | ((line: string) => string | undefined) | false
  /** Where to look for the URL line: stdout only (default) or stdout and stderr. */
  streams?: 'stdout' | 'both'
  /**
   * Another way to learn the URL, for servers that print none: called every `intervalMs`
   * (default 20) with the child's pid until it returns a URL.
   */
  poll?: { find: (pid: number) => string | undefined; intervalMs?: number }
  /**
   * Start the process in its own process group and signal the whole group, so that stop()
   * also reaches what it forked. Off by default: then Ctrl-C in a terminal still reaches the
   * child directly, as it reaches every process of the foreground group.
   */
  processGroup?: boolean
  /** How long stop() waits after SIGTERM before SIGKILL. Default 3000 ms. */
  graceMs?: number
  /** Names the process in error messages. Default: the command and its arguments. */
  name?: string
  /** Gives up early (stopping the process), e.g. when the caller's own deadline passes. */
  signal?: AbortSignal
  /** Called right after spawn(), before any output: e.g. to register the child for cleanup. */
  onSpawn?: (child: ChildProcess) => void
  /** output() keeps at most this many characters (the latest). Default 100 000. */
  maxOutputChars?: number
}

export interface SpawnedServer {
  /** The URL found, as matched (e.g. `http://127.0.0.1:40123`). */
  url: string
  /** The port of `url`. */
  port: number
  child: ChildProcess
  pid: number
  /** The stdout lines read until (and including) the one the URL was found in. */
  stdoutLines: readonly string[]
  /** Everything printed so far on both streams (the pipes are drained until the process exits). */
  output(): string
  /** Resolves with output() once it matches `pattern`; rejects on timeout or exit first. */
  waitForOutput(pattern: RegExp | string, timeoutMs?: number): Promise<string>
  /** Settles when the process has exited. */
  exited: Promise<ExitInfo>
  /**
   * SIGTERM (to the group with `processGroup`), SIGKILL after `graceMs`; resolves once the
   * process has exited. Safe to call more than once and after the process ended by itself.
   */
  stop(graceMs?: number): Promise<ExitInfo>
}

/** Why spawnUntilUrl gave up. `output` holds what the process printed (both streams). */
export class SpawnUntilUrlError extends Error {
  override name = 'SpawnUntilUrlError'
  constructor(
    message: string,
    readonly reason: 'timeout' | 'exit' | 'spawn' | 'aborted',
    readonly output: string,
    readonly exit: ExitInfo | undefined,
  ) {
    super(message)
  }
}

/** An http(s) URL with an explicit port, e.g. `http://127.0.0.1:4010` or `http://[::1]:4010`. */
export const URL_PATTERN = /https?:\/\/(?:\[[0-9A-Fa-f:.]+\]|[\w.-]+):\d+/

/** Children still running, killed if this process exits first: a test run leaves no server behind. */
const live = new Map<ChildProcess, boolean>()
let exitHookInstalled = false

function installExitHook(): void {
  if (exitHookInstalled) return
  exitHookInstalled = true
  process.once('exit', () => {
    for (const [child, group] of live) signal(child, 'SIGKILL', group)
  })
}

function signal(child: ChildProcess, sig: NodeJS.Signals, group: boolean): void {
  try {
    if (group && child.pid !== undefined) process.kill(-child.pid, sig)
    else child.kill(sig)
  } catch {
    // Already gone (ESRCH): nothing to signal.
    try {
      child.kill(sig)
    } catch {}
  }
}

function portOf(url: string): number {
  const parsed = new URL(url)
  if (parsed.port !== '') return Number(parsed.port)
  return parsed.protocol === 'https:' ? 443 : 80
}

/**
 * Spawns `command args` (stdin ignored, stdout/stderr piped) and resolves once a complete output
 * line carries its URL (or `poll` finds one). On a timeout, an early exit or a spawn error it
 * stops the process and rejects with a {@link SpawnUntilUrlError} that includes the output.
 * Spawn the program itself (e.g. `process.execPath script.js`), not through a shell or npx, so
 * the pid held is the server's and a signal reaches it.
 */
export function spawnUntilUrl(
  command: string,
  args: readonly string[],
  options: SpawnUntilUrlOptions = {},
): Promise<SpawnedServer> {
  const timeoutMs = options.timeoutMs ?? 30_000
  const defaultGrace = options.graceMs ?? 3000
  const maxOutput = options.maxOutputChars ?? 100_000
  const group = options.processGroup === true
  const name = options.name ?? [command, ...args].join(' ')
  const match = options.match ?? URL_PATTERN
  const find =
    match === false
      ? () => undefined
      : match instanceof RegExp
        ? (line: string) => match.exec(line)?.[0]
        : match

  const child = spawn(command, args, {
    ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: group,
  })
  installExitHook()
  live.set(child, group)
  options.onSpawn?.(child)

  let exitInfo: ExitInfo | undefined
  const exited = new Promise<ExitInfo>((resolve) => {
    const done = (info: ExitInfo) => {
      live.delete(child)
      exitInfo ??= info
      resolve(exitInfo)
    }
    child.once('exit', (code, sig) => done({ code, signal: sig }))
    // A spawn that failed (ENOENT, EACCES) never exits: settle here instead.
    child.once('error', () => {
      if (child.pid === undefined) done({ code: null, signal: null })
    })
  })

  // 'exit' can come before the last chunks are read: wait for both pipes to close, but not for
  // long, since a grandchild that inherited them may keep them open.
  const pipesClosed = Promise.all(
    [child.stdout!, child.stderr!].map((s) => new Promise<void>((r) => s.once('close', () => r()))),
  )
  const drained = exited.then(async (info) => {
    let timer: NodeJS.Timeout | undefined
    const cap = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, 1000)
    })
    await Promise.race([pipesClosed, cap])
    clearTimeout(timer)
    return info
  })

  const stop = async (graceMs = defaultGrace): Promise<ExitInfo> => {
    if (exitInfo || child.pid === undefined) return exited
    signal(child, 'SIGTERM', group)
    let timer: NodeJS.Timeout | undefined
    const graceOver = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, graceMs)
    })
    try {
      await Promise.race([exited, graceOver])
    } finally {
      clearTimeout(timer)
    }
    if (!exitInfo) signal(child, 'SIGKILL', group)
    return exited
  }

  let output = ''
  const waiters = new Set<() => void>()
  const append = (text: string): void => {
    output += text
    if (output.length > maxOutput) output = output.slice(-Math.floor(maxOutput / 2))
    for (const check of waiters) check()
  }
  const waitForOutput = (pattern: RegExp | string, waitMs = timeoutMs): Promise<string> => {
    const test = (text: string) => (typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text))
    if (test(output)) return Promise.resolve(output)
    return new Promise<string>((resolve, reject) => {
      const finish = (err?: Error) => {
        clearTimeout(timer)
        waiters.delete(check)
        if (err) reject(err)
        else resolve(output)
      }
      const check = () => {
        if (test(output)) finish()
      }
      const timer = setTimeout(
        () =>
          finish(new Error(`${name}: no output matching ${String(pattern)} within ${waitMs} ms:\n${output}`)),
        waitMs,
      )
      waiters.add(check)
      void drained.then(() => {
        if (test(output)) finish()
        else finish(new Error(`${name} exited without output matching ${String(pattern)}:\n${output}`))
      })
    })
  }

  return new Promise<SpawnedServer>((resolve, reject) => {
    const stdoutLines: string[] = []
    let settled = false
    let pollTimer: NodeJS.Timeout | undefined
    const timer = setTimeout(() => {
      fail('timeout', `${name} did not print its URL within ${timeoutMs} ms`)
    }, timeoutMs)

    const cleanup = () => {
      settled = true
      clearTimeout(timer)
      clearTimeout(pollTimer)
      options.signal?.removeEventListener('abort', onAbort)
    }
    const succeed = (url: string) => {
      if (settled) return
      cleanup()
      resolve({
        url,
        port: portOf(url),
        child,
        pid: child.pid!,
        stdoutLines,
        output: () => output,
        waitForOutput,
        exited,
        stop,
      })
    }
    const fail = (reason: SpawnUntilUrlError['reason'], message: string, exit?: ExitInfo) => {
      if (settled) return
      cleanup()
      void stop().then((info) =>
        reject(new SpawnUntilUrlError(`${message}:\n${output}`, reason, output, exit ?? info)),
      )
    }

    const reader = (isStdout: boolean) => {
      let pending = ''
      const lookAtLines = isStdout || options.streams === 'both'
      return (chunk: Buffer) => {
        const text = chunk.toString('utf8')
        append(text)
        if (settled || !lookAtLines) return
        pending += text
        const lines = pending.split('\n')
        pending = lines.pop() ?? ''
        for (const raw of lines) {
          const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw
          if (isStdout) stdoutLines.push(line)
          const url = find(line)
          if (url) {
            succeed(url)
            return
          }
        }
      }
    }
    child.stdout!.on('data', reader(true))
    child.stderr!.on('data', reader(false))
    child.once('error', (err) => fail('spawn', `${name} could not start (${err.message})`))
    void drained.then((info) =>
      fail(
        'exit',
        `${name} exited (code ${info.code}, signal ${info.signal}) before it printed its URL`,
        info,
      ),
    )

    const onAbort = () => fail('aborted', `${name}: gave up waiting for its URL (aborted)`)
    if (options.signal?.aborted) onAbort()
    options.signal?.addEventListener('abort', onAbort, { once: true })

    if (options.poll && child.pid !== undefined) {
      const { find: findByPid, intervalMs = 20 } = options.poll
      const pid = child.pid
      const tick = () => {
        if (settled) return
        const url = findByPid(pid)
        if (url) succeed(url)
        else pollTimer = setTimeout(tick, intervalMs)
      }
      tick()
    }
  })
}
