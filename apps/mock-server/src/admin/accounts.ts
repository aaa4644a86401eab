import { Hono } from 'hono'
import type { MockState } from '../app.js'
import { accountTasksLimit } from '../options.js'
import type { Account } from '../state/accounts.js'
import { SEAT_STATES, type SeatState } from '../state/world.js'
import { jsonBody } from './json-body.js'

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * /__admin/accounts: isolated accounts, each with a world of its own, for CI jobs that share
 * one mock; and seat states, which no vendor endpoint sets (a seat "in a call" is state 3).
 */
export function accountRoutes(state: MockState, bad: (message: string) => { error: string }): Hono {
  const app = new Hono()

  app.get('/', (c) =>
    c.json({
      accounts: state.accounts.list().map((a) => ({
        apiKey: a.apiKey,
        seed: a.seed,
        primary: !a.removable,
        tasks: a.world.tasks.size,
        groups: a.world.groupIds.size,
        seats: a.world.seatIds.size,
      })),
    }),
  )

  app.post('/', async (c) => {
    const body = await jsonBody(c.req.raw)
    if (!body.ok || !isObject(body.value))
      return c.json(bad('body must be a JSON object {seed?, tasks?}'), 400)
    const { seed = state.options.seed, tasks = state.options.accountTasks, ...rest } = body.value
    const extra = Object.keys(rest)[0]
    // `bad` redacts every account's secret; cut afterwards, or a cut secret would escape it.
    if (extra !== undefined)
      return c.json({ error: `${bad(`unknown field ${extra}`).error.slice(0, 80)} (seed, tasks)` }, 400)
    if (!Number.isSafeInteger(seed) || (seed as number) < 0 || (seed as number) > 0xffffffff) {
      return c.json(bad('seed must be an integer between 0 and 4294967295'), 400)
    }
    const max = accountTasksLimit(state.options)
    if (!Number.isSafeInteger(tasks) || (tasks as number) < 0 || (tasks as number) > max) {
      return c.json(bad(`tasks must be an integer between 0 and ${max}`), 400)
    }
    // Credentials are drawn here, once, and logged: every replica creates the same account.
    const r = await state.shared.submit({
      t: 'account.create',
      ...state.accounts.newCredentials(),
      seed: seed as number,
      tasks: tasks as number,
    })
    if (!r.ok) return c.json(bad(r.message), r.httpStatus)
    const account = r.value as Account
    return c.json(
      {
        apiKey: account.apiKey,
        apiSecret: account.apiSecret,
        seed: account.seed,
        tasks: account.world.tasks.size,
        groups: account.world.groupIds.size,
        seats: account.world.seatIds.size,
        apps: account.world.apps.map((a) => a.appId),
      },
      201,
    )
  })

  app.delete('/:apiKey', async (c) => {
    const apiKey = c.req.param('apiKey')
    const account = state.accounts.get(apiKey)
    if (!account) return c.json(bad('no account with that Api-Key'), 404)
    if (!account.removable) return c.json(bad('the primary account (--api-key) cannot be deleted'), 409)
    const r = await state.shared.submit({ t: 'account.delete', apiKey })
    if (!r.ok) return c.json(bad(r.message), r.httpStatus)
    return c.body(null, 204)
  })

  // Puts a seat in a state the vendor's own events would: 3 is "in a call" (-67 on update/delete).
  app.put('/:apiKey/seats/:keyId', async (c) => {
    const account = state.accounts.get(c.req.param('apiKey'))
    if (!account) return c.json(bad('no account with that Api-Key'), 404)
    const keyId = c.req.param('keyId')
    const seat = /^\d{1,15}$/.test(keyId) ? account.world.seats.get(Number(keyId)) : undefined
    if (!seat) return c.json(bad('no live seat with that keyId in this account'), 404)
    const body = await jsonBody(c.req.raw)
    const status = body.ok && isObject(body.value) ? body.value.status : undefined
    if (
      !SEAT_STATES.includes(status as SeatState) ||
      Object.keys(body.ok && isObject(body.value) ? body.value : {}).length !== 1
    ) {
      return c.json(
        bad(
          'body must be {"status": 1|2|3|4|5} (1 offline, 2 idle, 3 in a call, 4 after-call work, 5 short break)',
        ),
        400,
      )
    }
    if (seat.enable === 1 && status !== 1) {
      return c.json(bad('a disabled seat is offline (1); enable it with seat/batchingSeat type 4 first'), 409)
    }
    // Checked again where it is applied (another replica's write may come first).
    const r = await state.shared.submit({
      t: 'seat.status',
      apiKey: account.apiKey,
      keyId: seat.keyId,
      status: status as SeatState,
    })
    if (!r.ok) return c.json(bad(r.message), r.httpStatus)
    return c.json(r.value as object)
  })

  return app
}
