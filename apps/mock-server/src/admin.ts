import { redactSensitiveJson } from '@laaffic-kit/protocol'
import { Hono } from 'hono'
import { accountRoutes } from './admin/accounts.js'
import { jsonBody } from './admin/json-body.js'
import type { MockState } from './app.js'
import { redactJson, redactSecrets } from './faults.js'
import { publicOptions } from './options.js'
import { parseScenario, ScenarioError } from './scenarios.js'
import { StoreUnavailable } from './store/store.js'

const MAX_CLOCK = 253_402_300_799

/** The /__admin API (see spec/mock-admin.openapi.yaml). Plain HTTP semantics: 4xx for bad input. */
export function adminRoutes(state: MockState): Hono {
  const app = new Hono()
  // Every account's secret, read per call (accounts come and go).
  const secret = () => state.accounts.secrets()
  // Messages and scenarios echo what a client sent (field names, match values): the secret or
  // a Sign in them is redacted on the way out. Matching still uses the values as given.
  const bad = (message: string) => ({ error: redactSecrets(message, secret()) })
  const unavailable = { error: 'the shared store (Redis) is unreachable; try again shortly' }

  // A replica cut off from its store cannot answer for the shared state: 503, never a hang.
  app.use('*', async (c, next) => {
    if (!state.shared.available) return c.json(unavailable, 503)
    try {
      await next()
    } catch (err) {
      if (!(err instanceof StoreUnavailable)) throw err
      c.res = c.json(unavailable, 503)
    }
  })

  app.get('/scenarios', async (c) => {
    const remaining = await state.shared.scenarioRemaining()
    // With a shared store the uses left are counted there; the local queue may lag.
    const scenarios = state.scenarios.list().flatMap(({ key, ...s }) => {
      if (remaining === undefined || key === undefined) return [s]
      const left = remaining.get(key)
      return left === undefined ? [] : [{ ...s, remaining: left }]
    })
    return c.json({ scenarios: redactSensitiveJson(redactJson(scenarios, secret())) })
  })
  app.post('/scenarios', async (c) => {
    const body = await jsonBody(c.req.raw)
    if (!body.ok) return c.json(bad('body must be valid JSON'), 400)
    try {
      parseScenario(body.value, 0) // refused here, before anything is logged
    } catch (err) {
      if (err instanceof ScenarioError) return c.json(bad(err.message), 400)
      throw err
    }
    const r = await state.shared.submit({ t: 'scenario.add', body: body.value })
    if (!r.ok) return c.json(bad(r.message), r.httpStatus)
    const { key: _key, ...scenario } = r.value as { key?: string }
    return c.json(redactSensitiveJson(redactJson(scenario, secret())) as object, 201)
  })
  app.delete('/scenarios', async (c) => {
    await state.shared.submit({ t: 'scenario.clear' })
    return c.body(null, 204)
  })

  app.get('/requests', async (c) => {
    const raw = c.req.query('limit')
    // Digits only: Number() would take '' as 0, and '0x10', '1e3' or ' 5' as numbers.
    const limit = raw === undefined ? undefined : /^\d{1,9}$/.test(raw) ? Number(raw) : Number.NaN
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) {
      return c.json(bad('limit must be a non-negative integer'), 400)
    }
    return c.json(await state.shared.journal(limit))
  })
  app.delete('/requests', async (c) => {
    await state.shared.submit({ t: 'journal.clear' })
    return c.body(null, 204)
  })

  // The primary account's world goes back to what the seed generated; admin-created accounts are
  // left alone (other CI jobs may be using them): delete and recreate those to start over.
  app.post('/reset', async (c) => {
    const r = await state.shared.submit({ t: 'reset' })
    return c.json({ reset: true, clock: r.ok ? r.value : state.clock.state() })
  })

  app.get('/clock', (c) => c.json(state.clock.state()))
  app.put('/clock', async (c) => {
    const body = await jsonBody(c.req.raw)
    if (!body.ok || typeof body.value !== 'object' || body.value === null || Array.isArray(body.value)) {
      return c.json(bad('body must be a JSON object {now?: seconds|null, shift?: seconds}'), 400)
    }
    const { now, shift, ...rest } = body.value as Record<string, unknown>
    const extra = Object.keys(rest)[0]
    if (extra !== undefined) return c.json(bad(`unknown field ${extra}`), 400)
    if (now !== undefined && now !== null && !(Number.isSafeInteger(now) && (now as number) >= 0)) {
      return c.json(bad('now must be Unix seconds (a non-negative integer) or null for the real clock'), 400)
    }
    if (shift !== undefined && !Number.isSafeInteger(shift))
      return c.json(bad('shift must be an integer of seconds'), 400)
    // The clock stays where a JavaScript Date (and an HTTP Date header) can show it.
    const base =
      now === undefined
        ? state.clock.state().now - state.clock.state().shift
        : now === null
          ? Math.floor(Date.now() / 1000)
          : (now as number)
    const after = base + (shift !== undefined ? (shift as number) : state.clock.state().shift)
    if (!(after >= 0 && after <= MAX_CLOCK)) {
      return c.json(bad(`the clock must stay between 0 and ${MAX_CLOCK} (9999-12-31T23:59:59Z)`), 400)
    }
    const update = {
      ...(now !== undefined ? { now: now as number | null } : {}),
      ...(shift !== undefined ? { shift: shift as number } : {}),
    }
    const r = await state.shared.submit({ t: 'clock.set', update })
    return c.json(r.ok ? (r.value as object) : state.clock.state())
  })

  app.get('/config', (c) =>
    c.json({
      ...publicOptions(state.options),
      datasetSize: state.store.size,
      accounts: state.accounts.size,
      clock: state.clock.state(),
    }),
  )
  app.route('/accounts', accountRoutes(state, bad))

  // A known path with the wrong method is a 405 that says which methods work, as on the vendor route.
  const allowed: Record<string, string> = {
    '/scenarios': 'GET, POST, DELETE',
    '/requests': 'GET, DELETE',
    '/reset': 'POST',
    '/clock': 'GET, PUT',
    '/config': 'GET',
  }
  for (const [path, methods] of Object.entries(allowed)) {
    app.all(path, (c) =>
      c.json({ error: `method ${c.req.method} not allowed on /__admin${path}; use ${methods}` }, 405, {
        Allow: methods,
      }),
    )
  }
  return app
}
