import { hostname } from 'node:os'
import { ENDPOINT_PATH, STATUS } from '@laaffic-kit/protocol'
import { type Context, Hono } from 'hono'
import { adminRoutes } from './admin.js'
import { createIpCheck } from './auth.js'
import { generateDataset, type TaskStore } from './dataset.js'
import { docsRoutes } from './docs.js'
import { MockConnectionReset, reasonFor, redactPath } from './faults.js'
import { loadFixtureWorld, storeFromFixtures } from './fixtures.js'
import { Journal } from './journal.js'
import { createLogger, type Logger } from './log.js'
import { OPERATION_MODULES } from './operations/registry.js'
import { type MockOptions, type MockOptionsInput, resolveOptions } from './options.js'
import type { MockEnv } from './pipeline/env.js'
import { createHttpDate } from './pipeline/envelope.js'
import { journalMiddleware } from './pipeline/journal-middleware.js'
import { operationRoute } from './pipeline/run-operation.js'
import { loadReplayFile } from './replay/book.js'
import { ScenarioQueue } from './scenarios.js'
import { AccountRegistry } from './state/accounts.js'
import { generateWorld } from './state/generate-world.js'
import type { World } from './state/world.js'
import type { WorldFixture } from './state/world-fixtures.js'
import { memoryStore } from './store/memory.js'
import { RedisStore } from './store/redis.js'
import type { SharedStore } from './store/store.js'
import type { TaskIndex } from './task-index.js'
import { MockClock } from './time.js'

export type { MockEnv } from './pipeline/env.js'
export type { QueryResponse } from './pipeline/envelope.js'
export { serializeEnvelope } from './pipeline/envelope.js'

export interface CreateMockAppOptions extends MockOptionsInput {
  /** A prebuilt dataset (skips generation; handy when many apps share one). */
  store?: TaskStore
  /** Fixture records instead of generated data, validated like `--data`. */
  records?: readonly unknown[]
  /** Where access and event lines go; defaults to stdout per logFormat/logLevel. */
  logger?: Logger
}

/** Everything a running mock keeps; exposed for serveMock and tests. */
export interface MockState {
  options: MockOptions
  accounts: AccountRegistry
  /** The primary account's world, tasks and task index (the account of `--api-key`). */
  world: World
  store: TaskStore
  index: TaskIndex
  clock: MockClock
  scenarios: ScenarioQueue
  journal: Journal
  /** Where changes go: this process (`--store memory`) or a Redis every replica shares. */
  shared: SharedStore
}

const states = new WeakMap<object, MockState>()

/** The state behind an app made by createMockApp. */
export function mockState(app: Hono<MockEnv>): MockState {
  const s = states.get(app)
  if (!s) throw new Error('not an app made by createMockApp')
  return s
}

function buildStore(
  options: MockOptions,
  input: CreateMockAppOptions,
): { store: TaskStore; fixture?: WorldFixture | undefined } {
  if (input.store) return { store: input.store }
  if (input.records) return { store: storeFromFixtures([...input.records], options.utcOffset, 'records') }
  if (options.data) {
    const { store, world } = loadFixtureWorld(options.data, options.utcOffset)
    return { store, fixture: world }
  }
  return { store: generateDataset({ tasks: options.tasks, seed: options.seed }) }
}

/**
 * A Hono app that answers like LAAFFIC's `/v3/cc` endpoints (one module each under
 * operations/), plus /__admin, /docs, /openapi.yaml and /healthz. No port is opened here (see serveMock).
 */
export function createMockApp(input: CreateMockAppOptions = {}): Hono<MockEnv> {
  const { store: _s, records: _r, logger: givenLogger, ...optionInput } = input
  const options = resolveOptions(optionInput)
  const logger = givenLogger ?? createLogger(options)
  const { store, fixture } = buildStore(options, input)
  const world = generateWorld({ seed: options.seed, tasks: store, seats: options.seats, fixture })
  const accounts = new AccountRegistry(
    { apiKey: options.apiKey, apiSecret: options.apiSecret, seed: options.seed, world, fixture },
    { maxAccounts: options.maxAccounts, seats: options.seats },
  )
  const clock = new MockClock(options.now)
  const secrets = () => accounts.secrets()
  const state: Omit<MockState, 'shared'> & { shared?: SharedStore } = {
    options,
    accounts,
    world,
    store,
    index: world.taskIndex,
    clock,
    scenarios: new ScenarioQueue(),
    journal: new Journal(options.journalSize, secrets),
  }
  const shared = createSharedStore(state as MockState, options, logger)
  state.shared = shared
  const httpDate = createHttpDate(clock)

  const app = new Hono<MockEnv>()
  states.set(app, state as MockState)

  const vendorPaths = new Map(OPERATION_MODULES.map((op) => [op.def.path, op.def.path]))
  app.use(
    '*',
    journalMiddleware({
      journal: state.journal,
      logger,
      httpDate,
      secrets,
      vendorPaths,
      ...(shared.replica !== undefined ? { requestIdPrefix: `${shared.replica}-` } : {}),
    }),
  )

  const deps = {
    // Read per request: serveMock records the real port in state.options after binding.
    options: () => state.options,
    accounts,
    clock,
    scenarios: state.scenarios,
    ipAllowed: createIpCheck(options.allowIp),
    httpDate,
    secrets,
    replay: options.replay === undefined ? undefined : loadReplayFile(options.replay),
    shared,
  }
  for (const op of OPERATION_MODULES) {
    const route = operationRoute(op, deps)
    const notAllowed = (c: Context<MockEnv>) =>
      c.json({ error: 'Method Not Allowed', message: `use ${op.def.method} ${op.def.path}` }, 405, {
        Allow: op.def.method,
      })
    // Hono dispatches HEAD to the GET handler, and the vendor's deleteGroup is a GET that deletes:
    // a HEAD (a link checker, a proxy probing) must not delete anything.
    if (op.def.method === 'GET')
      app.get(op.def.path, (c) => (c.req.method === 'HEAD' ? notAllowed(c) : route(c)))
    else app.post(op.def.path, route)
    app.all(op.def.path, notAllowed)
  }

  app.get('/healthz', (c) => {
    const health = { ok: shared.available, tasks: store.size, accounts: accounts.size, now: clock.now() }
    if (shared.kind === 'memory') return c.json(health)
    // A replica cut off from its store answers -18: a load balancer's probe should take it out.
    return c.json({ ...health, store: shared.kind, replica: shared.replica }, shared.available ? 200 : 503)
  })
  app.route('/__admin', adminRoutes(state as MockState))
  app.route('/', docsRoutes())

  app.notFound((c) =>
    c.json(
      {
        error: 'Not Found',
        message: `no route ${c.req.method} ${redactPath(c.req.path, secrets())}; the vendor endpoints are under /v3/cc (e.g. POST ${ENDPOINT_PATH}; see /docs)`,
      },
      404,
    ),
  )
  // Never a stack trace: an unexpected failure is the vendor's -18 system error.
  app.onError((err, c) => {
    if (err instanceof MockConnectionReset) throw err
    logger.log(
      'error',
      'error',
      `unhandled ${err.name} on ${c.req.method} ${redactPath(c.req.path, secrets())}`,
    )
    c.set('inBand', STATUS.SYSTEM)
    const status = state.options.statusType === 'string' ? String(STATUS.SYSTEM) : STATUS.SYSTEM
    return c.json({ status, reason: reasonFor(STATUS.SYSTEM) }, 200)
  })
  return app
}

/** `--store`: memory (this process), or a Redis shared by every replica (named `--replica`, or hostname-pid). */
function createSharedStore(state: MockState, options: MockOptions, logger: Logger): SharedStore {
  if (options.stateStore === 'memory') return memoryStore(state)
  return new RedisStore(options.stateStore, options.replica ?? `${hostname()}-${process.pid}`, state, logger)
}
