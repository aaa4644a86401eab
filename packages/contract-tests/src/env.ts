/** The variables that turn the sandbox target on. All three are needed. */
export const SANDBOX_VARS = ['LAAFFIC_BASE_URL', 'LAAFFIC_API_KEY', 'LAAFFIC_API_SECRET'] as const
/**
 * Opt-in for writes to the sandbox (seat groups and seats the suite creates and deletes again).
 * Only the exact value `1` turns them on: `true`, `yes` or `0` leave the sandbox read-only.
 */
export const SANDBOX_WRITES_VAR = 'LAAFFIC_SANDBOX_WRITES'
/** The voice application the sandbox's test group is created under (else taken from a listed seat). */
export const SANDBOX_APP_ID_VAR = 'LAAFFIC_SANDBOX_APP_ID'

/**
 * Pins the end of the sandbox target's date windows (querySeats' strTime/endTime) to one instant,
 * in epoch ms: `pnpm contract --record` sets it for the run, `--replayed` reads it back from the
 * recording, so a replayed run sends the very bodies the recorded one sent.
 */
export const WINDOW_END_VAR = 'LAAFFIC_CONTRACT_WINDOW_END'

export interface SandboxConfig {
  baseUrl: string
  apiKey: string
  apiSecret: string
  /** True only with LAAFFIC_SANDBOX_WRITES=1. */
  writes: boolean
  /** LAAFFIC_SANDBOX_APP_ID, when set. */
  appId?: string
  /** LAAFFIC_CONTRACT_WINDOW_END, when set. */
  windowEnd?: number
}

/** Whether the environment allows sandbox writes: `LAAFFIC_SANDBOX_WRITES=1` and nothing else. */
export function sandboxWritesEnabled(env: Record<string, string | undefined>): boolean {
  return env[SANDBOX_WRITES_VAR]?.trim() === '1'
}

/** The sandbox config from an environment, or the list of what is missing. */
export function readSandboxEnv(
  env: Record<string, string | undefined>,
): { config: SandboxConfig; missing: [] } | { config: undefined; missing: string[] } {
  const missing = SANDBOX_VARS.filter((k) => !env[k]?.trim())
  if (missing.length > 0) return { config: undefined, missing }
  const baseUrl = env.LAAFFIC_BASE_URL!.trim()
  try {
    new URL(baseUrl)
  } catch {
    throw new Error(`LAAFFIC_BASE_URL is not a URL: ${JSON.stringify(baseUrl)}`)
  }
  const appId = env[SANDBOX_APP_ID_VAR]?.trim()
  const windowEndText = env[WINDOW_END_VAR]?.trim()
  if (windowEndText && !/^[1-9]\d{9,13}$/.test(windowEndText))
    throw new Error(`${WINDOW_END_VAR} must be epoch milliseconds, got ${JSON.stringify(windowEndText)}`)
  return {
    config: {
      baseUrl,
      apiKey: env.LAAFFIC_API_KEY!.trim(),
      apiSecret: env.LAAFFIC_API_SECRET!,
      writes: sandboxWritesEnabled(env),
      ...(appId ? { appId } : {}),
      ...(windowEndText ? { windowEnd: Number(windowEndText) } : {}),
    },
    missing: [],
  }
}

/** Which targets to run: `LAAFFIC_CONTRACT_TARGETS=mock,prism-proxy`, default all. */
export function selectedTargets(env: Record<string, string | undefined>): Set<string> | undefined {
  const raw = env.LAAFFIC_CONTRACT_TARGETS?.trim()
  if (!raw || raw === 'all') return undefined
  return new Set(raw.split(',').map((s) => s.trim()))
}
