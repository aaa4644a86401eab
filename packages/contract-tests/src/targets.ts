import { SIGNING_TEST_VECTOR } from '@laaffic-kit/protocol'
import { specPath } from '@laaffic-kit/spec'
import { readSandboxEnv, SANDBOX_VARS, type SandboxConfig, selectedTargets } from './env.js'
import { type RunningProcess, startMockProcess, startPrismProxy } from './processes.js'
import { createWriteGuard, type WriteGuard } from './write-guard.js'

/** The frozen clock of every mock target (2025-02-10 04:00:00 UTC): runs are reproducible. */
export const MOCK_NOW_SECONDS = 1739160000

/**
 * The mock targets' `--upload-max-bytes`: far above every upload case's real file (a few KB),
 * low enough that a -38 needs a 32 KiB file rather than the default 10 MiB.
 */
export const MOCK_UPLOAD_MAX_BYTES = 32 * 1024

/** A server the contract cases run against, with what it can be asked to do. */
/**
 * An application every mock target runs without a minimum rate (`--apps-without-rate`), so
 * submitTask and resendTask naming it answer -77 naturally. Admin-created accounts get the same
 * three applications (1000009, 1000012, 1000015); the suite's groups live under the first.
 */
export const MOCK_APP_WITHOUT_RATE = '1000015'

/**
 * The mock targets' `--task-quota`: tasks one account may create through the API (the default
 * is 200,000), low enough that the lifecycle walk reaches -23 with a handful of submissions.
 */
export const MOCK_TASK_QUOTA = 6

export interface Target {
  name: string
  baseUrl: string
  apiKey: string
  apiSecret: string
  fetch: typeof fetch
  /** Epoch ms the client should sign with (the mock's frozen clock, or the real one). */
  now: () => number
  /**
   * The instant date windows end at (querySeats' strTime/endTime): `now`, or on a sandbox target
   * one instant pinned for the whole run (LAAFFIC_CONTRACT_WINDOW_END) so a replay matches.
   */
  windowNow: () => number
  /** Requests the spec rejects are answered by Prism (HTTP 422) before the server sees them. */
  specGate: boolean
  /** The mock's seeded dataset is behind it, so exact data (task 5000525) can be asserted. */
  knownData: boolean
  /** How the target prints `status`, where we configured it. */
  statusType: 'number' | 'string' | 'unknown'
  /** Spec violations Prism reported on responses since the last `takeViolations()`. */
  takeViolations(): string[]
  /**
   * The mock's own `/__admin` API (reached directly, never through Prism, which knows only the
   * vendor's paths); undefined on a real server.
   */
  admin: { baseUrl: string; fetch: typeof fetch } | undefined
  /**
   * Whether cases may create, change and delete seat groups and seats: always on a mock target
   * (each run works in an account of its own), on a sandbox target only with
   * LAAFFIC_SANDBOX_WRITES=1 and then only through `guard`.
   */
  writes: boolean
  /** Sandbox targets only: the fetch guard every request goes through, and what this run created. */
  guard: WriteGuard | undefined
  /** The voice application new groups go under, when known (LAAFFIC_SANDBOX_APP_ID, or the account's first). */
  appId: string | undefined
  stop(): Promise<void>
}

export interface TargetFactory {
  name: string
  /** Why the target does not run, or undefined when it does. */
  skip: string | undefined
  start(): Promise<Target>
}

const mockCredentials = { apiKey: SIGNING_TEST_VECTOR.apiKey, apiSecret: SIGNING_TEST_VECTOR.apiSecret }
// The options every mock target starts with (the in-process one gets the same as createMockApp options).
const mockOptions = [
  '--upload-max-bytes',
  String(MOCK_UPLOAD_MAX_BYTES),
  '--apps-without-rate',
  MOCK_APP_WITHOUT_RATE,
  '--task-quota',
  String(MOCK_TASK_QUOTA),
]
const frozenNow = () => MOCK_NOW_SECONDS * 1000
const noViolations = () => []

/**
 * Wraps fetch to collect Prism's verdicts: with `--errors`, a response that breaks the spec
 * comes back as HTTP 500 with an `sl-violations` header listing every problem.
 */
export function prismFetch(violations: string[]): typeof fetch {
  return async (input, init) => {
    const res = await fetch(input, init)
    const header = res.headers.get('sl-violations')
    if (header) {
      try {
        for (const v of JSON.parse(header) as Array<{
          location: string[]
          message: string
          severity: string
        }>)
          violations.push(`${v.severity}: ${v.message} (at ${v.location.join('.')})`)
      } catch {
        violations.push(header)
      }
    }
    return res
  }
}

async function stopAll(...procs: Array<RunningProcess | undefined>): Promise<void> {
  await Promise.all(procs.map((p) => p?.stop()))
}

/** Every target, in matrix order; the ones that cannot run say why. */
export function targetFactories(env: Record<string, string | undefined> = process.env): TargetFactory[] {
  const only = selectedTargets(env)
  const sandbox = readSandboxEnv(env)
  const all: TargetFactory[] = [
    {
      name: 'mock',
      skip: undefined,
      async start() {
        const { createMockApp, silentLogger } = await import('@laaffic-kit/mock-server')
        const app = createMockApp({
          ...mockCredentials,
          now: MOCK_NOW_SECONDS,
          logger: silentLogger,
          uploadMaxBytes: MOCK_UPLOAD_MAX_BYTES,
          appsWithoutRate: [MOCK_APP_WITHOUT_RATE],
          taskQuota: MOCK_TASK_QUOTA,
        })
        const inProcess: typeof fetch = (input, init) => Promise.resolve(app.fetch(new Request(input, init)))
        return {
          name: 'mock',
          baseUrl: 'http://mock.local',
          ...mockCredentials,
          fetch: inProcess,
          now: frozenNow,
          windowNow: frozenNow,
          specGate: false,
          knownData: true,
          statusType: 'number',
          takeViolations: noViolations,
          admin: { baseUrl: 'http://mock.local', fetch: inProcess },
          writes: true,
          guard: undefined,
          appId: undefined,
          stop: async () => {},
        }
      },
    },
    {
      name: 'mock-http',
      skip: undefined,
      async start() {
        // Printed as strings here, so the string form of `status` crosses a real socket too.
        const proc = await startMockProcess([
          '--now',
          String(MOCK_NOW_SECONDS),
          '--status-type',
          'string',
          '--log-format',
          'json',
          ...mockOptions,
        ])
        return {
          name: 'mock-http',
          baseUrl: proc.url,
          ...mockCredentials,
          fetch: (input, init) => fetch(input, init),
          now: frozenNow,
          windowNow: frozenNow,
          specGate: false,
          knownData: true,
          statusType: 'string',
          takeViolations: noViolations,
          admin: { baseUrl: proc.url, fetch },
          writes: true,
          guard: undefined,
          appId: undefined,
          stop: () => stopAll(proc),
        }
      },
    },
    {
      name: 'prism-proxy',
      skip: undefined,
      async start() {
        const mock = await startMockProcess([
          '--now',
          String(MOCK_NOW_SECONDS),
          '--log-format',
          'json',
          ...mockOptions,
        ])
        let prism: RunningProcess
        try {
          prism = await startPrismProxy(specPath, mock.url)
        } catch (error) {
          await stopAll(mock)
          throw error
        }
        const violations: string[] = []
        return {
          name: 'prism-proxy',
          baseUrl: prism.url,
          ...mockCredentials,
          fetch: prismFetch(violations),
          now: frozenNow,
          windowNow: frozenNow,
          specGate: true,
          knownData: true,
          statusType: 'number',
          takeViolations: () => violations.splice(0),
          admin: { baseUrl: mock.url, fetch },
          writes: true,
          guard: undefined,
          appId: undefined,
          stop: () => stopAll(prism, mock),
        }
      },
    },
    {
      name: 'sandbox',
      skip: sandbox.config
        ? undefined
        : `skipped (set ${SANDBOX_VARS.join(', ')}; missing: ${sandbox.missing.join(', ')})`,
      async start() {
        if (!sandbox.config) throw new Error('sandbox is not configured')
        return sandboxTarget('sandbox', sandbox.config)
      },
    },
    {
      // Proves the sandbox mode itself: the same cases, configured through the same LAAFFIC_*
      // variables (writes on, so the write guard, the run prefix and the clean-up run too),
      // pointed at an account of its own on a mock process with a real clock.
      name: 'sandbox-selftest',
      skip: undefined,
      async start() {
        const proc = await startMockProcess(['--log-format', 'json'])
        try {
          const account = await createAdminAccount({ baseUrl: proc.url, fetch }, { tasks: 237 })
          const vars = {
            LAAFFIC_BASE_URL: proc.url,
            LAAFFIC_API_KEY: account.apiKey,
            LAAFFIC_API_SECRET: account.apiSecret,
            LAAFFIC_SANDBOX_WRITES: '1',
          }
          const { config } = readSandboxEnv(vars)
          if (!config) throw new Error('unreachable: self-test variables are complete')
          // The server is our own mock (status printed as numbers), so that check runs here too.
          const target = sandboxTarget('sandbox-selftest', config)
          return { ...target, statusType: 'number', stop: () => stopAll(proc) }
        } catch (error) {
          await stopAll(proc)
          throw error
        }
      },
    },
  ]
  // Targets left out with --target are not registered at all; only a switched-off sandbox skips.
  return all.filter((f) => !only || only.has(f.name))
}

/**
 * A real server: every request goes through the write guard, so without
 * LAAFFIC_SANDBOX_WRITES=1 nothing but queries can leave this process.
 */
export function sandboxTarget(name: string, config: SandboxConfig, inner: typeof fetch = fetch): Target {
  const guard = createWriteGuard({ inner, baseUrl: config.baseUrl, writes: config.writes })
  return {
    name,
    baseUrl: config.baseUrl,
    apiKey: config.apiKey,
    apiSecret: config.apiSecret,
    fetch: guard.fetch,
    now: () => Date.now(),
    windowNow: () => config.windowEnd ?? Date.now(),
    specGate: false,
    knownData: false,
    statusType: 'unknown',
    takeViolations: noViolations,
    admin: undefined,
    writes: config.writes,
    guard,
    appId: config.appId,
    stop: async () => {},
  }
}

/** What `POST /__admin/accounts` answers: a fresh account with a world of its own. */
export interface AdminAccount {
  apiKey: string
  apiSecret: string
  apps: string[]
}

/** Creates an isolated account on a mock (`POST /__admin/accounts`). */
export async function createAdminAccount(
  admin: { baseUrl: string; fetch: typeof fetch },
  body: { seed?: number; tasks?: number } = {},
): Promise<AdminAccount> {
  const res = await admin.fetch(new URL('/__admin/accounts', admin.baseUrl), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  })
  if (res.status !== 201)
    throw new Error(`POST /__admin/accounts answered ${res.status}: ${await res.text()}`)
  return (await res.json()) as AdminAccount
}

/**
 * The target as seen by a new account of its mock (its own groups, seats and tasks), so runs
 * and files sharing one mock never see each other's writes; `remove()` deletes the account.
 */
export async function withOwnAccount(
  t: Target,
  body: { seed?: number; tasks?: number } = {},
): Promise<{ target: Target; remove: () => Promise<void> }> {
  const admin = t.admin
  if (!admin) throw new Error(`${t.name} has no admin API: accounts exist only on a mock`)
  const account = await createAdminAccount(admin, body)
  return {
    target: { ...t, apiKey: account.apiKey, apiSecret: account.apiSecret, appId: account.apps[0] },
    remove: async () => {
      const res = await admin.fetch(new URL(`/__admin/accounts/${account.apiKey}`, admin.baseUrl), {
        method: 'DELETE',
      })
      if (res.status !== 204) throw new Error(`DELETE /__admin/accounts answered ${res.status}`)
    },
  }
}
