/**
 * submitTask req/s and p99 over HTTP (autocannon, 50 connections, one pinned mock), type 0 and
 * type 1, against preview/query in the same run, rounds rotating between the three (as writes.ts).
 * Each submit round gets a fresh isolated account (`POST /__admin/accounts {"tasks":0}`, deleted
 * after the round) whose number file is uploaded before the load starts; every request submits
 * that same filePath (one upload may be submitted more than once). The account's task count
 * (preview/query total: it has no generated tasks) must equal the 2xx answers, which proves every
 * submit created a task without parsing bodies in the load generator. Also the same three calls in
 * process (`app.fetch`), µs per call. The issue gives no target for the rate: the figure is reported.
 */

import {
  expectOk,
  groupTargets,
  httpSender,
  inProcessSender,
  type Send,
  SUBMIT_PATH,
  submitBody,
  UPLOAD_PATH,
  uploadNumbers,
} from './agent-tasks.js'
import { ENDPOINT_PATH, QUERY_BODY, signedHeaders } from './fixtures.js'
import { waitForSuccess } from './http.js'
import { loadRound } from './load.js'
import { createInProcessMock, type FetchApp } from './mock-app.js'
import { pinningLine } from './pinning.js'
import type { ServerProcess } from './processes.js'
import type { Section, Target } from './report.js'
import { startMock } from './servers.js'
import { median, rotate } from './stats.js'
import { fmt, fmtMs, markdownTable } from './table.js'
import { type Account, createAccount, deleteAccount } from './writes.js'

interface Kind {
  name: string
  /** undefined: preview/query on the primary account (no world growth). */
  type?: 0 | 1
}

const KINDS: Kind[] = [
  { name: 'preview/query' },
  { name: 'submitTask type 0', type: 0 },
  { name: 'submitTask type 1', type: 1 },
]

interface Round {
  rps: number
  p99: number
  ok2xx: number
  errors: number
  /** Tasks the round's account holds afterwards (submit rounds). */
  created: number | undefined
  uploadMs: number | undefined
}

export function submitOptions(env: NodeJS.ProcessEnv = process.env) {
  return {
    rounds: Number(env.BENCH_SUBMIT_ROUNDS ?? 3),
    seconds: Number(env.BENCH_SECONDS ?? 3),
    warmupSeconds: Number(env.BENCH_SUBMIT_WARMUP_SECONDS ?? 2),
    connections: 50,
    inProcessCalls: Number(env.BENCH_SUBMIT_IN_PROCESS_CALLS ?? 2000),
  }
}
type Options = ReturnType<typeof submitOptions>

async function taskCount(send: Send): Promise<number> {
  const res = expectOk('preview/query', await send(ENDPOINT_PATH, { current: 1, size: 1, params: {} }))
  return (res.data as { total: number }).total
}

async function round(
  server: ServerProcess,
  kind: Kind,
  seconds: number,
  connections: number,
): Promise<Round> {
  const load = async (path: string, headers: Record<string, string>, body: string) => {
    const r = await loadRound({ url: server.url, path, headers, body, connections }, seconds)
    return { rps: r.rps, p99: r.p99, ok2xx: r.ok2xx, errors: r.errors + r.timeouts + r.non2xx }
  }
  if (kind.type === undefined) {
    return {
      ...(await load(ENDPOINT_PATH, signedHeaders(), QUERY_BODY)),
      created: undefined,
      uploadMs: undefined,
    }
  }
  const account: Account = await createAccount(server.url)
  try {
    const send = httpSender(server.url, account.headers)
    // The upload is done before the load: the round measures submitTask alone.
    const file = await uploadNumbers(send)
    const group = kind.type === 1 ? (await groupTargets(send, 1))[0] : undefined
    const measured = await load(SUBMIT_PATH, account.headers, submitBody(file.filePath, kind.type, group))
    return { ...measured, created: await taskCount(send), uploadMs: file.ms }
  } finally {
    await deleteAccount(server.url, account.apiKey)
  }
}

/** µs per call in process (`app.fetch`, body read), median of 5 batches, per kind. */
async function inProcess(calls: number): Promise<number[]> {
  const app: FetchApp = await createInProcessMock({})
  const headers = signedHeaders()
  const send = inProcessSender(app, headers)
  const file = await uploadNumbers(send)
  const group = (await groupTargets(send, 1))[0]
  const requests = KINDS.map((k) =>
    k.type === undefined
      ? { path: ENDPOINT_PATH, body: QUERY_BODY }
      : { path: SUBMIT_PATH, body: submitBody(file.filePath, k.type, group) },
  )
  for (const r of requests) expectOk(`in process ${r.path}`, await send(r.path, r.body))
  const batches = 5
  const per = Math.max(1, Math.floor(calls / batches))
  const samples = requests.map(() => [] as number[])
  for (let b = 0; b < batches; b++) {
    for (const [i, r] of requests.entries()) {
      const t0 = performance.now()
      for (let c = 0; c < per; c++) {
        const res = await app.fetch(
          new Request(`http://127.0.0.1${r.path}`, { method: 'POST', headers, body: r.body }),
        )
        await res.text()
      }
      samples[i]!.push(((performance.now() - t0) / per) * 1000)
    }
  }
  return samples.map((s) => median(s))
}

export async function submitTask(o: Options = submitOptions()): Promise<Section> {
  const inProcessUs = await inProcess(o.inProcessCalls)
  const server = await startMock()
  let results: Round[][]
  try {
    await waitForSuccess(server.url + ENDPOINT_PATH, () => signedHeaders(), QUERY_BODY, 30_000)
    for (const kind of KINDS) await round(server, kind, o.warmupSeconds, o.connections)
    results = await rotate(
      KINDS.map((kind) => async () => {
        const res = await round(server, kind, o.seconds, o.connections)
        process.stderr.write(`  ${kind.name}: ${fmt(res.rps)} req/s, p99 ${res.p99} ms\n`)
        return res
      }),
      o.rounds,
    )
  } finally {
    await server.stop()
  }
  return report(o, results, inProcessUs)
}

function report(o: Options, results: Round[][], inProcessUs: number[]): Section {
  const med = results.map((rounds) => median(rounds.map((x) => x.rps)))
  const query = med[0]!
  // A submit answered 2xx but refused in-band leaves fewer tasks than 2xx answers; requests in
  // flight when autocannon stops may add up to `connections` more.
  const applied = (x: Round) =>
    x.created === undefined || (x.created >= x.ok2xx && x.created <= x.ok2xx + o.connections)
  const rows = KINDS.map((kind, i) => {
    const rounds = results[i]!
    return [
      kind.name,
      fmt(med[i]!),
      rounds.map((x) => fmt(x.rps)).join(' / '),
      `${fmt((med[i]! / query) * 100)} %`,
      fmtMs(median(rounds.map((x) => x.p99))),
      rounds.map((x) => x.p99).join(' / '),
      fmtMs((1 / med[i]!) * 1000),
      `${fmt(inProcessUs[i]!)} µs`,
      rounds.reduce((n, x) => n + x.errors, 0),
      kind.type === undefined ? '—' : rounds.map((x) => `${fmt(x.created ?? 0)}/${fmt(x.ok2xx)}`).join(' '),
      kind.type === undefined ? '—' : fmtMs(median(rounds.map((x) => x.uploadMs ?? 0))),
    ]
  })
  const targets: Target[] = KINDS.slice(1).map((kind, j) => {
    const rounds = results[j + 1]!
    const ok = rounds.every(applied) && rounds.every((x) => x.errors === 0)
    return {
      benchmark: 'submit-task',
      target: `${kind.name}: every submit answered 2xx created a task, no errors (rate: no target, reported)`,
      measured: `${rounds.map((x) => `${fmt(x.created ?? 0)}/${fmt(x.ok2xx)}`).join(' ')} tasks/2xx; ${fmt(med[j + 1]!)} req/s, p99 ${fmtMs(median(rounds.map((x) => x.p99)))}`,
      ok,
      ...(ok ? {} : { missedBy: 'submits not applied or errors' }),
    }
  })
  const body = [
    `One mock (\`--log-level error --now <ts>\`), ${o.connections} connections, autocannon ${o.rounds} rounds × ${o.seconds} s per kind, the order rotating each round (after a ${o.warmupSeconds} s warm-up each); ${pinningLine()}. preview/query: the throughput benchmark's request (primary account). submitTask: a fresh account per round (\`POST /__admin/accounts {"tasks":0}\`, deleted after it), its ${'100'}-number .xls uploaded (\`${UPLOAD_PATH}\`) before the load; every request submits that filePath: type 0 \`{"filePath","fileName","type":0}\`, type 1 adds one \`voiceGroupId\`, its \`appId\` and \`calloutRate\` 1. The frozen clock keeps every new task submitting (16) for the round. In process: the same three requests through \`app.fetch\` (body read), ${fmt(o.inProcessCalls)} calls each in 5 batches, median.`,
    '',
    markdownTable(
      [
        'request',
        'req/s (median)',
        'req/s per round',
        'vs preview/query',
        'p99 ms (median)',
        'p99 ms per round',
        'server ms per request (1 / req/s, one pinned core)',
        'in process per call',
        'errors',
        'tasks created / 2xx, per round',
        'upload before the round',
      ],
      rows,
    ),
    '',
    '"tasks created / 2xx": the round\'s account\'s task count afterwards (preview/query total; the account has no generated tasks) against the 2xx answers; equal up to the requests in flight when the round stops means every submit created a task. "errors" = transport errors + timeouts + non-2xx. The issue sets no rate target for submitTask.',
  ].join('\n')
  return {
    id: 'submit-task',
    title: 'submitTask throughput',
    body,
    targets,
    command: 'pnpm bench -- submit-task',
  }
}
