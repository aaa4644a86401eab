/** The variables that turn the sandbox target on. All three are needed. */
export const SANDBOX_VARS = ['LAAFFIC_BASE_URL', 'LAAFFIC_API_KEY', 'LAAFFIC_API_SECRET'] as const

export interface SandboxConfig {
  baseUrl: string
  apiKey: string
  apiSecret: string
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
  return {
    config: { baseUrl, apiKey: env.LAAFFIC_API_KEY!.trim(), apiSecret: env.LAAFFIC_API_SECRET! },
    missing: [],
  }
}

/** Which targets to run: `LAAFFIC_CONTRACT_TARGETS=mock,prism-proxy`, default all. */
export function selectedTargets(env: Record<string, string | undefined>): Set<string> | undefined {
  const raw = env.LAAFFIC_CONTRACT_TARGETS?.trim()
  if (!raw || raw === 'all') return undefined
  return new Set(raw.split(',').map((s) => s.trim()))
}
