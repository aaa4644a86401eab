/**
 * 7. Writes: seatGroup/addGroup and seat/addSeatList req/s against preview/query req/s, same
 * mock process, same run, rounds rotating between the three. Writes grow the world, so each
 * write round gets a fresh isolated account (`POST /__admin/accounts`, deleted afterwards):
 * every request is valid (a unique group name per request; one seat per addSeatList under a
 * `--seat-quota` of 1,000,000) and a world holds at most one round's writes. The world's growth
 * (GET /__admin/accounts) must equal the 2xx answers, which proves each write succeeded without
 * parsing bodies in the load generator.
 */

import { computeSign } from '@laaffic-kit/protocol'
import autocannon, { type RequestSpec } from 'autocannon'
import { ENDPOINT_PATH, FROZEN_TS, QUERY_BODY, signedHeaders } from './fixtures.js'
import { waitForSuccess } from './http.js'
import { pinningLine } from './pinning.js'
import type { ServerProcess } from './processes.js'
import type { Section, Target } from './report.js'
import { startMock } from './servers.js'
import { median, ratio, rotate } from './stats.js'
import { fmt, fmtMs, markdownTable } from './table.js'
import { throughputOptions } from './throughput.js'

const ADD_GROUP = '/v3/cc/seatGroup/addGroup'
const ADD_SEATS = '/v3/cc/seat/addSeatList'
const GROUP_QUERY = '/v3/cc/seatGroup/query'
const TARGET = 0.5

export interface Account {
  apiKey: string
  headers: Record<string, string>
  appId: string
  voiceGroupId: number
}

interface WriteRound {
  rps: number
  p99: number
  total: number
  ok2xx: number
  errors: number
  /** Groups or seats the account gained in the round (writes only). */
  grown: number | undefined
  /** The world's size at the end of the round (groups or seats). */
  size: number | undefined
}

async function json(res: Response): Promise<Record<string, unknown>> {
  const text = await res.text()
  if (!res.ok) throw new Error(`HTTP ${res.status}: ${text.slice(0, 300)}`)
  return JSON.parse(text) as Record<string, unknown>
}

export async function createAccount(url: string): Promise<Account> {
  const created = await json(
    await fetch(`${url}/__admin/accounts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      // No tasks: the account's world is its seat groups and seats.
      body: JSON.stringify({ tasks: 0 }),
    }),
  )
  const apiKey = String(created.apiKey)
  const headers = {
    'content-type': 'application/json;charset=UTF-8',
    'Api-Key': apiKey,
    Timestamp: String(FROZEN_TS),
    Sign: computeSign(apiKey, String(created.apiSecret), FROZEN_TS),
  }
  const page = await json(
    await fetch(url + GROUP_QUERY, {
      method: 'POST',
      headers,
      body: JSON.stringify({ current: 1, size: 1, params: {} }),
    }),
  )
  const first = (page.data as { records: { voiceGroupId: number }[] } | undefined)?.records[0]
  const appId = (created.apps as string[])[0]
  if (page.status !== 0 || !first || !appId)
    throw new Error(`new account has no group: ${JSON.stringify(page)}`)
  return { apiKey, headers, appId, voiceGroupId: first.voiceGroupId }
}

async function worldSize(url: string, apiKey: string): Promise<{ groups: number; seats: number }> {
  const list = await json(await fetch(`${url}/__admin/accounts`))
  const a = (list.accounts as { apiKey: string; groups: number; seats: number }[]).find(
    (x) => x.apiKey === apiKey,
  )
  if (!a) throw new Error(`account ${apiKey} is gone`)
  return a
}

export async function deleteAccount(url: string, apiKey: string): Promise<void> {
  const res = await fetch(`${url}/__admin/accounts/${apiKey}`, { method: 'DELETE' })
  await res.arrayBuffer()
}

interface Kind {
  name: string
  path: string
  /** The world counter the write grows. */
  grows?: 'groups' | 'seats'
  /** The request for one account; writes get a fresh body per request. */
  request: (account: Account, round: string) => RequestSpec
}

let sequence = 0
const KINDS: Kind[] = [
  {
    name: 'preview/query',
    path: ENDPOINT_PATH,
    request: () => ({ method: 'POST', path: ENDPOINT_PATH, headers: signedHeaders(), body: QUERY_BODY }),
  },
  {
    name: 'seatGroup/addGroup',
    path: ADD_GROUP,
    grows: 'groups',
    request: (a, round) => ({
      method: 'POST',
      path: ADD_GROUP,
      headers: a.headers,
      // 4–32 characters, unique in the application: the round and a process-wide counter.
      setupRequest: (req) => ({
        ...req,
        body: `{"appId":"${a.appId}","groupName":"w${round}-${(sequence++).toString(36)}"}`,
      }),
    }),
  },
  {
    name: 'seat/addSeatList (1 seat)',
    path: ADD_SEATS,
    grows: 'seats',
    request: (a) => ({
      method: 'POST',
      path: ADD_SEATS,
      headers: a.headers,
      body: `{"voiceGroupId":${a.voiceGroupId},"size":1}`,
    }),
  },
]

async function round(server: ServerProcess, kind: Kind, label: string, seconds: number, connections: number) {
  const account = kind.grows ? await createAccount(server.url) : undefined
  try {
    const before = account ? await worldSize(server.url, account.apiKey) : undefined
    const result = await autocannon({
      url: server.url,
      requests: [kind.request(account as Account, label)],
      connections,
      duration: seconds,
      timeout: 10,
    })
    let grown: number | undefined
    let size: number | undefined
    if (account && before && kind.grows) {
      const after = await worldSize(server.url, account.apiKey)
      grown = after[kind.grows] - before[kind.grows]
      size = after[kind.grows]
    }
    const r: WriteRound = {
      rps: result.requests.average,
      p99: result.latency.p99,
      total: result.requests.total,
      ok2xx: result['2xx'],
      errors: result.errors + result.timeouts + result.non2xx,
      grown,
      size,
    }
    return r
  } finally {
    if (account) await deleteAccount(server.url, account.apiKey)
  }
}

export async function writes(o = throughputOptions()): Promise<Section> {
  const server = await startMock({ extraArgs: ['--seat-quota', '1000000'] })
  try {
    await waitForSuccess(server.url + ENDPOINT_PATH, () => signedHeaders(), QUERY_BODY, 30_000)
    for (const kind of KINDS) await round(server, kind, 'warm', o.warmupSeconds, o.connections)
    let r = 0
    const results = await rotate(
      KINDS.map((kind) => async () => {
        const res = await round(server, kind, String(r++), o.seconds, o.connections)
        process.stderr.write(`  ${kind.name}: ${fmt(res.rps)} req/s, p99 ${res.p99} ms\n`)
        return res
      }),
      o.rounds,
    )
    return report(o, results)
  } finally {
    await server.stop()
  }
}

function report(o: ReturnType<typeof throughputOptions>, results: WriteRound[][]): Section {
  const med = results.map((rounds) => median(rounds.map((x) => x.rps)))
  const query = med[0]!
  // A write answered 2xx but not applied (an in-band failure) leaves the world smaller than the
  // 2xx count; requests still in flight when autocannon stops may add up to `connections` more.
  const applied = (x: WriteRound) =>
    x.grown === undefined || (x.grown >= x.ok2xx && x.grown <= x.ok2xx + o.connections)
  const rows = KINDS.map((kind, i) => {
    const rounds = results[i]!
    return [
      kind.name,
      med[i]!,
      rounds.map((x) => fmt(x.rps)).join(' / '),
      i === 0 ? '100 %' : `${fmt(ratio(med[i]!, query) * 100)} %`,
      fmtMs(median(rounds.map((x) => x.p99))),
      fmtMs((1 / med[i]!) * 1000),
      rounds.reduce((n, x) => n + x.errors, 0),
      kind.grows ? rounds.map((x) => `${fmt(x.grown ?? 0)}/${fmt(x.ok2xx)}`).join(' ') : '—',
      kind.grows ? fmt(Math.max(...rounds.map((x) => x.size ?? 0))) : '—',
    ]
  })
  const targets: Target[] = KINDS.slice(1).map((kind, j) => {
    const i = j + 1
    const share = ratio(med[i]!, query)
    const allApplied = results[i]!.every(applied) && results[i]!.every((x) => x.errors === 0)
    return {
      benchmark: 'writes',
      target: `${kind.name} req/s ≥ 50 % of preview/query req/s (same run), every write applied`,
      measured: `${fmt(share * 100)} % (${fmt(med[i]!)} vs ${fmt(query)} req/s)${allApplied ? '' : '; some writes not applied or errors'}`,
      ok: share >= TARGET && allApplied,
      ...(share < TARGET
        ? { missedBy: `${fmt((TARGET - share) * 100)} points short` }
        : !allApplied
          ? { missedBy: 'writes not applied' }
          : {}),
    }
  })
  const body = [
    `One mock (\`--log-level error --now <ts> --seat-quota 1000000\`), ${o.connections} connections, autocannon ${o.rounds} rounds × ${o.seconds} s per kind, the order rotating each round (after a ${o.warmupSeconds} s warm-up each); ${pinningLine()}. preview/query: the throughput benchmark's request (primary account). Writes: a fresh isolated account per round (\`POST /__admin/accounts {"tasks":0}\`, deleted after the round), so the world a round writes into starts at the generated size; addGroup sends \`{"appId":…,"groupName":"w<round>-<n>"}\` with a new name per request, addSeatList \`{"voiceGroupId":…,"size":1}\`.`,
    '',
    markdownTable(
      [
        'request',
        'req/s (median)',
        'req/s per round',
        'vs preview/query',
        'p99 ms',
        'server ms per request (1 / req/s, one pinned core)',
        'errors',
        'world growth / 2xx, per round',
        'largest world (groups or seats)',
      ],
      rows,
    ),
    '',
    '"world growth / 2xx": the groups or seats the round\'s account gained (GET /__admin/accounts) against the 2xx answers; equal (up to the requests in flight when the round stops) means every write was applied, none answered in-band failure. "errors" = transport errors + timeouts + non-2xx.',
  ].join('\n')
  return { id: 'writes', title: '7. Write throughput', body, targets, command: 'pnpm bench -- writes' }
}
