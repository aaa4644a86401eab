import { createHash } from 'node:crypto'
import type { Redis } from 'ioredis'
import type { MockState } from '../app.js'
import type { Directive } from '../faults.js'
import type { Logger } from '../log.js'
import { parseScenario, type ScenarioRequest } from '../scenarios.js'
import { applyCommand, type Command, type CommandResult, prepareOperation, resetToStart } from './commands.js'
import { type ListedEntry, type SharedStore, StoreMismatch, StoreUnavailable } from './store.js'

/**
 * Options that are this process's own; every other one shapes the world or a handler's answer,
 * so replicas must agree on it (a different seed would apply the same log to another world).
 */
const OWN_OPTIONS = new Set([
  'port',
  'host',
  'replica',
  'workers',
  'logFormat',
  'logLevel',
  'stateStore',
  'journalSize',
  'latency',
])

/** The shared options as stored: the secret as a hash (Redis holds no more than it must). */
function sharedOptions(options: MockState['options']): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(options)) {
    if (OWN_OPTIONS.has(key)) continue
    out[key] =
      key === 'apiSecret' ? createHash('sha256').update(String(value)).digest('hex').slice(0, 16) : value
  }
  return out
}

/**
 * Appends a command to the log, with what must change atomically with it: a scenario's count
 * of uses (so no replica can take it before the count exists), or the shared scenarios
 * dropped. Refuses (EPOCH) when the store is not the one this replica caught up with:
 * a Redis that came back empty must first be converged on (see {@link RedisStore}).
 * Answers the new id. (Answering the entries since the caller's last applied one too saved a
 * round trip but under 50 concurrent writes each reply carried ~50 entries: 2× the CPU.)
 */
const APPEND = `
if redis.call('GET', KEYS[3]) ~= ARGV[5] then return redis.error_reply('EPOCH store changed') end
local id = redis.call('XADD', KEYS[1], '*', 'c', ARGV[1], 'n', ARGV[2])
if ARGV[3] == 'scenario.add' then redis.call('HSET', KEYS[2], id, ARGV[4])
elseif ARGV[3] == 'scenario.clear' or ARGV[3] == 'reset' then redis.call('DEL', KEYS[2]) end
return id`

/**
 * Takes one use of the first candidate scenario (by log key, in queue order) that still has
 * uses: atomic, so each use goes to exactly one request across every replica. Answers the key
 * taken ('' for none), the uses left, and the candidates found used up.
 */
const TAKE = `
local gone = {}
for _, k in ipairs(ARGV) do
  if redis.call('HEXISTS', KEYS[1], k) == 1 then
    local left = redis.call('HINCRBY', KEYS[1], k, -1)
    if left <= 0 then redis.call('HDEL', KEYS[1], k) end
    return {k, left, gone}
  end
  gone[#gone + 1] = k
end
return {'', 0, gone}`

/** How long a write waits for its own entry to be applied before it answers -18. */
const WRITE_TIMEOUT_MS = 4000
/** The reader blocks this long for others' entries: what one replica changes, another applies within it. */
const BLOCK_MS = 1000
/** How long `/__admin/requests` waits for the other replicas' journals. */
const GATHER_MS = 2000

type Entry = [id: string, fields: string[]]

/** The scripts above, as ioredis defines them on the command connection (EVALSHA). */
interface StoreScripts {
  lmAppend(...keysAndArgs: string[]): Promise<string>
  lmTake(...keysAndArgs: string[]): Promise<[string, number, string[]]>
}

function compareIds(a: string, b: string): number {
  const [am = 0, as = 0] = a.split('-').map(Number)
  const [bm = 0, bs = 0] = b.split('-').map(Number)
  return am - bm || as - bs
}

function field(fields: readonly string[], name: string): string | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1]
  return undefined
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/**
 * State shared through one Redis. Writes are a log (a stream) that every replica applies in
 * order; the replica that appended answers with the outcome of its own entry once every earlier
 * one is applied. A reader (XREAD BLOCK on its own connection) applies the others' entries as
 * they come, so reads are answered from memory and never wait on Redis. Scenario uses are
 * counted in a hash and taken by a script. Journals stay in each replica (a shared list flushed
 * in batches cost 30 % of the read path's CPU: every entry redacted and serialised); asked for
 * them, a replica publishes the question and each replica answers with its own, redacted. An epoch key tells a Redis that lost its data (restarted empty): every
 * replica then goes back to its start state and replays what the log holds, so all agree.
 */
export class RedisStore implements SharedStore {
  readonly kind = 'redis'
  readonly #url: string
  readonly #state: MockState
  readonly #logger: Logger
  readonly #keys: { log: string; scenarios: string; journal: string; epoch: string; options: string }
  #cmd: Redis | undefined
  #sub: Redis | undefined
  /** Subscribed to journal questions (a subscribed connection can do nothing else). */
  #listen: Redis | undefined
  #lastId = '0-0'
  #epoch: string | undefined
  #synced = false
  #closed = false
  #chain: Promise<unknown> = Promise.resolve()
  #seq = 0
  readonly #waiting = new Map<
    string,
    { resolve: (r: CommandResult) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }
  >()
  readonly #prepared = new Set<string>()
  #reader: Promise<void> | undefined
  #wasAvailable = false

  constructor(
    url: string,
    readonly replica: string,
    state: MockState,
    logger: Logger,
    prefix = 'laaffic-mock:',
  ) {
    this.#url = url
    this.#state = state
    this.#logger = logger
    this.#keys = {
      log: `${prefix}log`,
      scenarios: `${prefix}scenarios`,
      journal: `${prefix}journal`,
      epoch: `${prefix}epoch`,
      options: `${prefix}options`,
    }
  }

  get available(): boolean {
    return !this.#closed && this.#synced && this.#cmd?.status === 'ready' && this.#sub?.status === 'ready'
  }

  async start(): Promise<void> {
    const { Redis } = await import('ioredis')
    const options = {
      lazyConnect: true,
      // Never queue a command while disconnected: a request gets -18 at once, not a hang.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: 2000,
      commandTimeout: BLOCK_MS + 2000,
      // Reconnect every second at most: back within a second or two of Redis returning.
      retryStrategy: (times: number) => Math.min(100 * times, 1000),
    }
    this.#cmd = new Redis(this.#url, options)
    this.#cmd.defineCommand('lmAppend', { numberOfKeys: 3, lua: APPEND })
    this.#cmd.defineCommand('lmTake', { numberOfKeys: 1, lua: TAKE })
    this.#sub = new Redis(this.#url, options)
    this.#listen = new Redis(this.#url, options)
    this.#listen.on('error', () => {})
    this.#listen.on(
      'message',
      (_channel: string, message: string) => void this.#answerJournal(message).catch(() => {}),
    )
    for (const conn of [this.#cmd, this.#sub]) {
      // ioredis prints unhandled error events itself; the state change is logged once below.
      conn.on('error', () => {})
      conn.on('close', () => this.#lost())
    }
    try {
      await Promise.all([this.#cmd.connect(), this.#sub.connect(), this.#listen.connect()])
      // ioredis subscribes again by itself after a reconnect.
      await this.#listen.subscribe(this.#keys.journal)
      await this.#checkOptions()
      await this.#serial(() => this.#resync())
    } catch (err) {
      await this.close()
      if (err instanceof StoreMismatch) throw err
      throw new StoreUnavailable(
        `cannot reach the store at ${this.#url} (${err instanceof Error ? err.message : String(err)})`,
      )
    }
    this.#wasAvailable = true
    this.#reader = this.#readLoop()
  }

  async close(): Promise<void> {
    this.#closed = true
    this.#cmd?.disconnect()
    this.#sub?.disconnect()
    this.#listen?.disconnect()
    await this.#reader?.catch(() => {})
  }

  async submit(cmd: Command): Promise<CommandResult> {
    const conn = this.#cmd
    if (!conn || !this.available) throw new StoreUnavailable('the shared store is unreachable')
    const nonce = `${this.replica}:${++this.#seq}`
    const times = cmd.t === 'scenario.add' ? String(parseScenario(cmd.body, 0).remaining) : ''
    const result = new Promise<CommandResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting.delete(nonce)
        reject(new StoreUnavailable('the shared store did not apply the write in time'))
      }, WRITE_TIMEOUT_MS)
      this.#waiting.set(nonce, { resolve, reject, timer })
    })
    try {
      const k = this.#keys
      // EVALSHA once the script is cached (ioredis sends the text only on NOSCRIPT).
      await (conn as unknown as StoreScripts).lmAppend(
        k.log,
        k.scenarios,
        k.epoch,
        JSON.stringify(cmd),
        nonce,
        cmd.t,
        times,
        this.#epoch ?? '',
      )
    } catch (err) {
      const waiter = this.#waiting.get(nonce)
      this.#waiting.delete(nonce)
      if (waiter) clearTimeout(waiter.timer)
      // EPOCH: the store lost its data; anything else (a timeout): it is not answering. Either
      // way every request answers -18 until the reader has caught up with it again.
      this.#synced = false
      throw new StoreUnavailable(
        `the shared store did not take the write (${err instanceof Error ? err.message.slice(0, 80) : 'error'})`,
      )
    }
    // Apply up to (at least) this entry now rather than when the reader wakes.
    this.#catchUpSoon()
    return result
  }

  takeScenario(req: ScenarioRequest): Promise<Directive | undefined> | undefined {
    const candidates = this.#state.scenarios.matching(req)
    if (candidates.length === 0) return undefined
    const conn = this.#cmd
    if (!conn || !this.available)
      return Promise.reject(new StoreUnavailable('the shared store is unreachable'))
    const keys = candidates.flatMap((s) => (s.key === undefined ? [] : [s.key]))
    const reply = (conn as unknown as StoreScripts).lmTake(this.#keys.scenarios, ...keys)
    return reply.then(
      ([key, left, gone]) => {
        for (const g of gone) this.#state.scenarios.settle(g, 0)
        const taken = candidates.find((s) => s.key === key)
        if (key !== '') this.#state.scenarios.settle(key, left)
        return taken?.directive
      },
      (err: unknown) => {
        this.#synced = false // not answering: -18 everywhere until the reader has caught up
        throw new StoreUnavailable(
          `the shared store did not answer (${err instanceof Error ? err.message.slice(0, 80) : 'error'})`,
        )
      },
    )
  }

  async scenarioRemaining(): Promise<ReadonlyMap<string, number>> {
    const conn = this.#requireConn()
    const all = await conn.hgetall(this.#keys.scenarios)
    return new Map(Object.entries(all).map(([k, v]) => [k, Number(v)]))
  }

  /**
   * Every live replica's journal: the question goes out on a channel (PUBLISH says how many
   * replicas heard it), each answers into a reply list, and the answers are merged by time.
   */
  async journal(limit?: number): Promise<{ total: number; capacity: number; requests: ListedEntry[] }> {
    const conn = this.#requireConn()
    const token = `${this.replica}:${++this.#seq}:${Math.random().toString(36).slice(2, 10)}`
    const replyKey = `${this.#keys.journal}:reply:${token}`
    const heard = await conn.publish(this.#keys.journal, JSON.stringify({ token, limit: limit ?? null }))
    const deadline = Date.now() + GATHER_MS
    while ((await conn.llen(replyKey)) < heard && Date.now() < deadline) await sleep(10)
    const replies = await conn.lrange(replyKey, 0, -1)
    await conn.del(replyKey)
    let total = 0
    const requests: ListedEntry[] = []
    for (const text of replies) {
      const reply = JSON.parse(text) as { total: number; requests: ListedEntry[] }
      total += reply.total
      requests.push(...reply.requests)
    }
    // Oldest first across replicas (stable: one replica's own order holds within a millisecond).
    requests.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0))
    const capacity = this.#state.journal.capacity
    const keep = Math.min(limit ?? capacity, capacity)
    return { total, capacity, requests: keep === 0 ? [] : requests.slice(-keep) }
  }

  /** Another replica (or this one) asked for the journals: this replica's, redacted by list(). */
  async #answerJournal(message: string): Promise<void> {
    const { token, limit } = JSON.parse(message) as { token: string; limit: number | null }
    const journal = this.#state.journal
    const requests = journal.list(limit ?? undefined).map((e) => ({ ...e, replica: this.replica }))
    const key = `${this.#keys.journal}:reply:${token}`
    await (this.#cmd as Redis)
      .multi()
      .rpush(key, JSON.stringify({ total: journal.total, requests }))
      .expire(key, 60)
      .exec()
  }

  /** The first replica on a store records its options; a replica that differs refuses to start. */
  async #checkOptions(): Promise<void> {
    const conn = this.#cmd as Redis
    const mine = sharedOptions(this.#state.options)
    await conn.set(this.#keys.options, JSON.stringify(mine), 'NX')
    const stored = JSON.parse((await conn.get(this.#keys.options)) ?? '{}') as Record<string, unknown>
    const differ = Object.keys({ ...mine, ...stored }).filter(
      (k) => JSON.stringify(mine[k]) !== JSON.stringify(stored[k]),
    )
    if (differ.length > 0) {
      throw new StoreMismatch(
        `the replicas on ${this.#url} run with other options: ${differ.join(', ')} differ (every replica needs the same world and assumptions)`,
      )
    }
  }

  #requireConn(): Redis {
    if (!this.#cmd || !this.available) throw new StoreUnavailable('the shared store is unreachable')
    return this.#cmd
  }

  /** Runs state changes one at a time: applying entries, catching up, converging. */
  #serial<T>(task: () => Promise<T>): Promise<T> {
    const next = this.#chain.then(task, task)
    this.#chain = next.catch(() => {})
    return next
  }

  #lost(): void {
    if (this.#closed) return
    this.#synced = false
    if (this.#wasAvailable) {
      this.#wasAvailable = false
      this.#logger.log(
        'warn',
        'store',
        'laaffic-mock: the shared store is unreachable; answering -18 until it is back',
      )
    }
    // Writes in flight may or may not have been logged: they answer -18 (as a vendor outage would).
    for (const [nonce, w] of this.#waiting) {
      clearTimeout(w.timer)
      this.#waiting.delete(nonce)
      w.reject(new StoreUnavailable('the shared store went away'))
    }
  }

  /**
   * After a start or a lost connection: make sure this is the store we caught up with (same
   * epoch), else go back to the start state and replay its log from the beginning; then catch up.
   */
  async #resync(): Promise<void> {
    const conn = this.#cmd as Redis
    const fresh = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`
    await conn.set(this.#keys.epoch, fresh, 'NX')
    const epoch = await conn.get(this.#keys.epoch)
    if (epoch === null) throw new StoreUnavailable('the store lost its epoch key')
    if (this.#epoch !== undefined && epoch !== this.#epoch) {
      this.#logger.log(
        'warn',
        'store',
        'laaffic-mock: the shared store lost its data (restarted empty?); back to the start state and replaying its log',
      )
      resetToStart(this.#state)
      this.#lastId = '0-0'
    }
    this.#epoch = epoch
    // A store that lost its data lost the recorded options too: record them again.
    await conn.set(this.#keys.options, JSON.stringify(sharedOptions(this.#state.options)), 'NX')
    await this.#catchUp()
    this.#synced = true
    if (!this.#wasAvailable && this.#reader !== undefined) {
      this.#logger.log('info', 'store', 'laaffic-mock: the shared store is back')
    }
    this.#wasAvailable = true
  }

  /**
   * One catch-up queued behind whatever runs now: it reads everything appended until it starts,
   * so writes arriving meanwhile (50 connections writing) share it instead of queuing one each.
   */
  #catchUpSoon(): void {
    if (this.#catchUpQueued) return
    this.#catchUpQueued = true
    void this.#serial(() => {
      this.#catchUpQueued = false
      return this.#catchUp()
    }).catch(() => {})
  }

  #catchUpQueued = false

  async #catchUp(): Promise<void> {
    const conn = this.#cmd as Redis
    for (;;) {
      const entries = (await conn.xrange(this.#keys.log, `(${this.#lastId}`, '+', 'COUNT', 1000)) as Entry[]
      await this.#apply(entries)
      if (entries.length < 1000) return
    }
  }

  async #apply(entries: readonly Entry[]): Promise<void> {
    for (const [id, fields] of entries) {
      if (compareIds(id, this.#lastId) <= 0) continue
      let cmd: Command | undefined
      try {
        cmd = JSON.parse(field(fields, 'c') ?? '') as Command
      } catch {
        cmd = undefined // not ours: skipped by every replica alike
      }
      if (cmd?.t === 'op' && !this.#prepared.has(cmd.op)) {
        await prepareOperation(cmd.op)
        this.#prepared.add(cmd.op)
      }
      let result: CommandResult | undefined
      try {
        result = cmd === undefined ? undefined : applyCommand(this.#state, cmd, id)
      } catch {
        result = undefined
      }
      this.#lastId = id
      const nonce = field(fields, 'n')
      const waiter = nonce === undefined ? undefined : this.#waiting.get(nonce)
      if (waiter && nonce !== undefined) {
        this.#waiting.delete(nonce)
        clearTimeout(waiter.timer)
        if (result) waiter.resolve(result)
        else waiter.reject(new StoreUnavailable('the write could not be applied'))
      }
    }
  }

  /** Applies the others' entries as they arrive; resyncs after any trouble; checks the epoch. */
  async #readLoop(): Promise<void> {
    let lastEpochCheck = Date.now()
    while (!this.#closed) {
      try {
        if (!this.#synced) {
          await this.#serial(() => this.#resync())
          lastEpochCheck = Date.now()
        }
        const sub = this.#sub as Redis
        const res = (await sub.xread('BLOCK', BLOCK_MS, 'STREAMS', this.#keys.log, this.#lastId)) as
          | [string, Entry[]][]
          | null
        const entries = res?.[0]?.[1]
        if (entries && entries.length > 0) await this.#serial(() => this.#apply(entries))
        if (Date.now() - lastEpochCheck >= BLOCK_MS) {
          lastEpochCheck = Date.now()
          const epoch = await (this.#cmd as Redis).get(this.#keys.epoch)
          if (epoch !== this.#epoch) this.#synced = false
        }
      } catch {
        if (this.#closed) return
        this.#synced = false
        await sleep(200)
      }
    }
  }
}
