import { HEADER, operationStatus, STATUS } from '@laaffic-kit/protocol'
import type { Context } from 'hono'
import { checkCredentials, remoteAddress } from '../auth.js'
import { describeValue } from '../describe-value.js'
import {
  type Directive,
  FAULT_HEADER,
  parseFault,
  parseForcedStatus,
  type Secrets,
  STATUS_HEADER,
  safeDetail,
  sleep,
} from '../faults.js'
import { type Envelope, fail, type Operation, type Outcome } from '../operations/operation.js'
import { forcibleProblem, reasonOf } from '../operations/status-codes.js'
import type { MockOptions } from '../options.js'
import { type ReplayBook, requestKey } from '../replay/book.js'
import type { ScenarioQueue } from '../scenarios.js'
import type { Account, AccountRegistry } from '../state/accounts.js'
import { isWrite } from '../store/commands.js'
import type { SharedStore } from '../store/store.js'
import type { MockClock } from '../time.js'
import { applyFault, faultLabel } from './apply-fault.js'
import type { MockEnv } from './env.js'
import { type BodyRead, NO_BODY, PARSE_ERROR, readBody, safeParse } from './read-body.js'

export interface PipelineDeps {
  /** Read on every request: serveMock replaces the options once the real port is known. */
  options: () => MockOptions
  accounts: AccountRegistry
  clock: MockClock
  scenarios: ScenarioQueue
  ipAllowed: (address: string | undefined) => boolean
  httpDate: () => string
  secrets: () => Secrets
  /** `--replay`: recorded answers, consulted after the credential checks. */
  replay?: ReplayBook | undefined
  /** Where writes and scenario uses go: this process, or a Redis every replica shares. */
  shared: SharedStore
}

/** The -18 detail while the shared store cannot be reached: a replica cannot know it is current. */
const STORE_DOWN = 'the shared store (Redis) is unreachable'

/** "Data does not exist": `--replay-miss not-found` answers it where the operation's page lists it. */
const DOES_NOT_EXIST = -24

const JSON_TYPE = /^application\/json\s*(;|$)/i

/**
 * The one request pipeline every operation runs through: forced status / fault / scenario,
 * latency, then IP → Api-Key/Sign → Timestamp → body checks → the operation's validation →
 * its handler → the envelope. Everything a client can get wrong is an in-band status.
 */
export function operationRoute(op: Operation, deps: PipelineDeps) {
  const isGet = op.def.method === 'GET'
  // What validate/handle load on first use (the spec's Ajv, SheetJS): awaited once, never on preview/query.
  let prepared = op.prepare === undefined
  // With a shared store a write is logged and answered once applied; reads stay in memory.
  const replicated = deps.shared.kind !== 'memory' && isWrite(op)
  const bodyLimit = (options: MockOptions) => op.maxBodyBytes?.(options) ?? options.maxBodyBytes

  const envelope = (status: number, detail?: string, data?: unknown): Envelope => {
    const body: Envelope = {
      status: deps.options().statusType === 'string' ? String(status) : status,
      reason:
        detail === undefined
          ? reasonOf(op.def, status)
          : `${reasonOf(op.def, status)}: ${safeDetail(detail, deps.secrets())}`,
    }
    if (data !== undefined) body.data = data
    return body
  }

  // A plain Response with plain headers: c.body() with more than one header, or stamping
  // c.res.headers afterwards, builds an undici Headers that @hono/node-server then iterates
  // back into an object (a few % of throughput in the CPU profile).
  const answer = (c: Context<MockEnv>, body: Envelope) => {
    c.set('inBand', Number(body.status))
    const bytes = body.data !== undefined && op.serialize ? op.serialize(body) : JSON.stringify(body)
    const response = new Response(bytes, {
      status: 200,
      headers: {
        'Content-Type': 'application/json',
        Date: deps.httpDate(),
        'X-Request-Id': c.get('requestId'),
      },
    })
    // Only once the stamped response exists: if building it threw, onError's answer needs stamping.
    c.set('stamped', true)
    return response
  }

  /** A recorded answer, verbatim (replay); the journal and access log see its in-band status. */
  const replayed = (c: Context<MockEnv>, httpStatus: number, mimeType: string, text: string) => {
    c.set('forced', 'replay')
    const status = (safeParse(text) as { status?: unknown } | null)?.status
    const inBand = typeof status === 'string' && /^-?\d{1,9}$/.test(status) ? Number(status) : status
    c.set('inBand', typeof inBand === 'number' ? inBand : null)
    const response = new Response(text, {
      status: httpStatus,
      headers: { 'Content-Type': mimeType, Date: deps.httpDate(), 'X-Request-Id': c.get('requestId') },
    })
    c.set('stamped', true)
    return response
  }

  /**
   * `--replay`, once the caller is known to sign correctly: the recorded answer for this request,
   * or on a miss undefined (the mock answers) or the operation's "does not exist" (`--replay-miss
   * not-found`: -24 where the page lists it, else HTTP 404).
   */
  function replayAnswer(
    c: Context<MockEnv>,
    read: BodyRead,
    book: ReplayBook,
  ): Response | Envelope | undefined {
    const secrets = deps.secrets()
    const key = isGet
      ? requestKey(op.def, { query: new URL(c.req.url).searchParams }, secrets)
      : requestKey(op.def, read.text === undefined ? {} : { bodyText: read.text }, secrets)
    const hit = book.take(key, secrets)
    if (hit) return replayed(c, hit.httpStatus, hit.mimeType, hit.text)
    if (deps.options().replayMiss === 'mock') return undefined
    c.set('forced', 'replay-miss')
    if (operationStatus(op.def, DOES_NOT_EXIST) !== undefined) {
      return envelope(DOES_NOT_EXIST, 'the replayed recording holds no answer for this request')
    }
    return new Response(
      JSON.stringify({
        error: 'Not Found',
        message: `the replayed recording holds no answer for this ${op.def.id} request`,
      }),
      { status: 404, headers: { 'Content-Type': 'application/json' } },
    )
  }

  /** The in-band answer: a forced status, or the checks in the vendor's order, then the handler. */
  function vendorAnswer(
    c: Context<MockEnv>,
    read: BodyRead,
    forced: number | undefined,
    replay?: ReplayBook,
  ): Envelope | Response | Promise<Envelope> {
    const options = deps.options()
    if (forced !== undefined && forced !== 0) return envelope(forced)
    const apiKey = c.req.header(HEADER.apiKey)
    let account: Account | undefined = apiKey === undefined ? undefined : deps.accounts.get(apiKey)
    if (forced === undefined) {
      if (!deps.ipAllowed(remoteAddress(c.env, c.req.raw))) return envelope(STATUS.IP_RESTRICTED)
      const rejection = checkCredentials(
        {
          apiKey,
          timestamp: c.req.header(HEADER.timestamp)?.trim(),
          sign: c.req.header(HEADER.sign)?.trim(),
        },
        account,
        options,
        deps.clock.now(),
      )
      if (rejection) return envelope(rejection.status, rejection.detail)
      if (replay) {
        const recorded = replayAnswer(c, read, replay)
        if (recorded !== undefined) return recorded
      }
    }
    // Forced 0 skips the credential checks: answer from the signing account's world if any.
    account ??= deps.accounts.primary
    let request: unknown
    if (isGet) request = c.req.query()
    else {
      if (read.tooLarge)
        return envelope(
          op.tooLargeStatus ?? STATUS.PARAMETER,
          `request body must be at most ${bodyLimit(options)} bytes`,
        )
      const type = c.req.header('Content-Type')
      if (!type || !JSON_TYPE.test(type))
        return envelope(STATUS.PARAMETER, 'Content-Type must be application/json')
      if (!read.text || read.text.trim() === '') return envelope(STATUS.PARAMETER, 'request body is required')
      request = safeParse(read.text)
      if (request === PARSE_ERROR) return envelope(STATUS.PARAMETER, 'request body is not valid JSON')
      if (typeof request !== 'object' || request === null || Array.isArray(request)) {
        return envelope(STATUS.PARAMETER, `request body must be a JSON object, got ${describeValue(request)}`)
      }
    }
    const v = op.validate(request, options, deps.secrets())
    if (!v.ok) return envelope(STATUS.PARAMETER, v.detail)
    if (replicated) {
      const cmd = {
        t: 'op',
        apiKey: account.apiKey,
        op: op.def.id,
        value: v.value,
        now: deps.clock.now(),
      } as const
      return deps.shared.submit(cmd).then(
        (r) => outcomeEnvelope(r.ok ? (r.value as Outcome) : fail(STATUS.SYSTEM)),
        () => envelope(STATUS.SYSTEM, STORE_DOWN),
      )
    }
    return outcomeEnvelope(
      op.handle(v.value, { account, world: account.world, options, now: deps.clock.now() }),
    )
  }

  const outcomeEnvelope = (outcome: Outcome): Envelope =>
    outcome.status === 0 ? envelope(0, undefined, outcome.data) : envelope(outcome.status, outcome.detail)

  return async (c: Context<MockEnv>): Promise<Response> => {
    const options = deps.options()
    if (!prepared) {
      await op.prepare?.()
      prepared = true
    }
    const read = isGet ? NO_BODY : await readBody(c, bodyLimit(options))
    c.set('bodyText', isGet ? queryText(c) : read.text)
    // A replica cut off from the shared store cannot know it is current: every answer is -18.
    if (!deps.shared.available) return answer(c, envelope(STATUS.SYSTEM, STORE_DOWN))
    const headerStatus = c.req.header(STATUS_HEADER)
    const headerFault = c.req.header(FAULT_HEADER)
    let directive: Directive | undefined
    if (headerStatus !== undefined) {
      const s = parseForcedStatus(headerStatus)
      if (!s.ok) return answer(c, envelope(STATUS.PARAMETER, s.detail))
      directive = { status: s.value }
    }
    if (headerFault !== undefined) {
      const f = parseFault(headerFault)
      if (!f.ok) return answer(c, envelope(STATUS.PARAMETER, f.detail))
      // A delay composes with a forced status; any other fault wins over it.
      if (f.value.kind === 'delay') await sleep(f.value.ms)
      else directive = { fault: f.value }
    }
    if (
      directive === undefined &&
      headerStatus === undefined &&
      headerFault === undefined &&
      deps.scenarios.pending
    ) {
      const taken = deps.shared.takeScenario({
        apiKey: c.req.header(HEADER.apiKey),
        operation: op.def.id,
        body: isGet ? c.req.query() : safeParse(read.text),
      })
      try {
        directive = taken instanceof Promise ? await taken : taken
      } catch {
        return answer(c, envelope(STATUS.SYSTEM, STORE_DOWN))
      }
    }
    if (directive?.status !== undefined) {
      const problem = forcibleProblem(op.def, directive.status)
      if (problem) return answer(c, envelope(STATUS.PARAMETER, problem))
    }
    if (options.latency) {
      const { min, max } = options.latency
      await sleep(min + Math.floor(Math.random() * (max - min + 1)))
    }
    if (directive?.fault) {
      c.set('forced', faultLabel(directive.fault))
      // A fault's answer is the mock's own (replay answers only requests without a directive).
      return applyFault(
        c,
        directive.fault,
        envelope,
        () => vendorAnswer(c, read, undefined) as Envelope | Promise<Envelope>,
      )
    }
    if (directive?.status !== undefined) c.set('forced', `status=${directive.status}`)
    const out = vendorAnswer(c, read, directive?.status, directive === undefined ? deps.replay : undefined)
    if (out instanceof Promise) return answer(c, await out)
    return out instanceof Response ? out : answer(c, out)
  }
}

/** A GET's query string as the journal keeps it (it has no body). */
function queryText(c: Context<MockEnv>): string | undefined {
  const q = c.req.query()
  return Object.keys(q).length === 0 ? undefined : JSON.stringify(q)
}
