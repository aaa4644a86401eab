import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { dirname, isAbsolute, join, resolve } from 'node:path'
import { readSandboxEnv } from './env.js'
import { mockCliPath, type RunningProcess, startNodeProcess } from './processes.js'

/** Where a recorded sandbox run writes its HAR (`pnpm contract --record <file>` sets it). */
export const RECORD_VAR = 'LAAFFIC_RECORD'

/** A recording proxy in front of the sandbox, and the credentials callers sign with there. */
export interface RecordingProxy {
  process: RunningProcess
  url: string
  /** The absolute path of the HAR. */
  file: string
  /** What the suite signs with: made up for this run, worthless anywhere but this proxy. */
  apiKey: string
  apiSecret: string
  stop(): Promise<number | null>
}

/**
 * The repository root (the directory holding pnpm-workspace.yaml) above `from`: relative recording
 * paths are taken from there, because turbo runs `pnpm contract` in this package's directory and
 * leaves no trace of where the user typed it (INIT_CWD is the package directory too).
 */
export function workspaceRoot(from: string): string {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir
    if (dirname(dir) === dir) return resolve(from)
  }
}

/**
 * The HAR path of `LAAFFIC_RECORD`, absolute (a relative one is taken from `base`), or undefined
 * when nothing is to be recorded.
 */
export function recordPath(env: Record<string, string | undefined>, base: string): string | undefined {
  const raw = env[RECORD_VAR]?.trim()
  if (!raw) return undefined
  return isAbsolute(raw) ? raw : resolve(base, raw)
}

/**
 * Starts `laaffic-mock proxy --upstream $LAAFFIC_BASE_URL --record <file>` on a free port of
 * 127.0.0.1. The sandbox credentials go to the proxy only, through its environment (never its
 * command line, which `ps` shows); callers sign with a key and secret made up for this run, so
 * nothing else on the machine can reach the sandbox through the proxy with the mock's public
 * defaults.
 */
export async function startRecordingProxy(
  env: Record<string, string | undefined>,
  file: string,
): Promise<RecordingProxy> {
  const { config, missing } = readSandboxEnv(env)
  if (!config) throw new Error(`recording needs the sandbox variables (missing: ${missing.join(', ')})`)
  const apiKey = `lkit${randomBytes(6).toString('hex')}`
  const apiSecret = randomBytes(12).toString('hex')
  const proc = await startNodeProcess(
    mockCliPath(),
    [
      'proxy',
      '--upstream',
      config.baseUrl,
      '--record',
      file,
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--api-key',
      apiKey,
      '--api-secret',
      apiSecret,
    ],
    {
      name: 'laaffic-mock proxy',
      timeoutMs: 15_000,
      env: { LAAFFIC_API_KEY: config.apiKey, LAAFFIC_API_SECRET: config.apiSecret },
      readUrl: (line) =>
        line.startsWith('laaffic-mock proxy listening on ')
          ? /http:\/\/127\.0\.0\.1:\d+/.exec(line)?.[0]
          : undefined,
    },
  )
  return { process: proc, url: proc.url, file, apiKey, apiSecret, stop: () => proc.stop() }
}

/**
 * The environment the suite runs in while recording: the sandbox variables name the proxy and its
 * run-local credentials, so the sandbox's own key and secret never enter the test process.
 * LAAFFIC_SANDBOX_WRITES and LAAFFIC_SANDBOX_APP_ID pass unchanged (the write guard still decides).
 */
export function envThroughProxy(
  env: Record<string, string | undefined>,
  proxy: Pick<RecordingProxy, 'url' | 'apiKey' | 'apiSecret'>,
): Record<string, string | undefined> {
  const next: Record<string, string | undefined> = { ...env }
  delete next[RECORD_VAR]
  next.LAAFFIC_BASE_URL = proxy.url
  next.LAAFFIC_API_KEY = proxy.apiKey
  next.LAAFFIC_API_SECRET = proxy.apiSecret
  return next
}

/**
 * The instant the recorded run's date windows ended at (epoch ms), read from the first querySeats
 * body in a HAR (the windows are UTC+8 wall-clock text, as the vendor's pages write them), or
 * undefined when the recording holds none.
 */
export function recordedWindowEnd(harText: string): number | undefined {
  const har = JSON.parse(harText) as {
    log?: { entries?: Array<{ request?: { url?: string; postData?: { text?: string } } }> }
  }
  for (const entry of har.log?.entries ?? []) {
    const url = entry.request?.url
    const text = entry.request?.postData?.text
    if (!url || !text || !url.endsWith('/v3/cc/seat/query')) continue
    let endTime: unknown
    try {
      endTime = (JSON.parse(text) as { params?: { endTime?: unknown } }).params?.endTime
    } catch {
      continue
    }
    if (typeof endTime !== 'string' || !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(endTime)) continue
    const ms = Date.parse(`${endTime.replace(' ', 'T')}+08:00`)
    if (Number.isFinite(ms)) return ms
  }
  return undefined
}
