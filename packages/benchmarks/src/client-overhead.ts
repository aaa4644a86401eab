/**
 * 4. Client overhead: `client.queryTasks` vs a hand-written fetch + md5 + JSON.parse for the
 * same request against the same mock over HTTP on 127.0.0.1 (the mock in its own child
 * process, clock frozen). Batches of sequential calls alternate A, B, A, B...; the per-call
 * time of each batch is batch time / calls, and the medians are compared.
 * Also: `iterateTasks` over 100k tasks, heapUsed sampled (after gc when exposed) every page.
 */
import { createHash } from 'node:crypto'
import { createLaafficClient, type QueryRequest } from '@laaffic-kit/client'
import {
  API_KEY,
  API_SECRET,
  ENDPOINT_PATH,
  FROZEN_NOW_MS,
  isSuccessEnvelope,
  QUERY_BODY,
  signedHeaders,
} from './fixtures.js'
import { waitForSuccess } from './http.js'
import type { IterationResult } from './iterate-worker.js'
import { createInProcessMock } from './mock-app.js'
import { distScript } from './paths.js'
import { runNode } from './processes.js'
import type { Section, Target } from './report.js'
import { startMock } from './servers.js'
import { alternate, median, ratio } from './stats.js'
import { fmt, fmtBytes, fmtRatio, markdownTable } from './table.js'

const REQUEST: QueryRequest = JSON.parse(QUERY_BODY) as QueryRequest

/** What an integrator would write by hand: sign, POST, parse, check the envelope. */
export function handWritten(
  baseUrl: string,
  now: () => number,
  doFetch: (url: string, init: RequestInit) => Promise<Response> = fetch,
) {
  const url = baseUrl + ENDPOINT_PATH
  return async (body: QueryRequest): Promise<unknown> => {
    const ts = String(Math.floor(now() / 1000))
    const sign = createHash('md5')
      .update(API_KEY + API_SECRET + ts)
      .digest('hex')
    const res = await doFetch(url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json;charset=UTF-8',
        'Api-Key': API_KEY,
        Timestamp: ts,
        Sign: sign,
      },
      body: JSON.stringify(body),
    })
    if (!res.ok) throw new Error(`HTTP ${res.status}`)
    const envelope = JSON.parse(await res.text()) as { status: unknown; data: unknown }
    if (!isSuccessEnvelope(envelope)) throw new Error(`status ${String(envelope.status)}`)
    return envelope.data
  }
}

async function timeBatch(call: () => Promise<unknown>, calls: number): Promise<number> {
  const t0 = performance.now()
  for (let i = 0; i < calls; i++) await call()
  return (performance.now() - t0) / calls
}

export async function clientOverhead(
  rounds = Number(process.env.BENCH_CLIENT_ROUNDS ?? 10),
  calls = Number(process.env.BENCH_CLIENT_CALLS ?? 1000),
): Promise<Section> {
  const now = () => FROZEN_NOW_MS
  let perCall: { client: number[]; hand: number[] }
  let iteration: IterationResult
  const server = await startMock()
  try {
    await waitForSuccess(server.url + ENDPOINT_PATH, () => signedHeaders(), QUERY_BODY)
    const client = createLaafficClient({
      apiKey: API_KEY,
      apiSecret: API_SECRET,
      baseUrl: server.url,
      now,
      maxRetries: 0,
    })
    const hand = handWritten(server.url, now)
    // Warm-up: JIT both paths and the server.
    await timeBatch(() => client.queryTasks(REQUEST), 500)
    await timeBatch(() => hand(REQUEST), 500)
    const [c, h] = await alternate(
      [() => timeBatch(() => client.queryTasks(REQUEST), calls), () => timeBatch(() => hand(REQUEST), calls)],
      rounds,
    )
    perCall = { client: c!, hand: h! }
  } finally {
    await server.stop()
  }
  const big = await startMock({ tasks: 100_000 })
  try {
    await waitForSuccess(big.url + ENDPOINT_PATH, () => signedHeaders(), QUERY_BODY)
    const out = await runNode(['--expose-gc', distScript('iterate-worker'), big.url], { timeoutMs: 600_000 })
    iteration = JSON.parse(out.trim().split('\n').at(-1)!) as IterationResult
  } finally {
    await big.stop()
  }
  // Same comparison with the mock in process (no socket): the client's own cost is a larger share.
  const app = await createInProcessMock({})
  const appFetch = async (request: Request) => app.fetch(request)
  const inClient = createLaafficClient({
    apiKey: API_KEY,
    apiSecret: API_SECRET,
    baseUrl: 'http://mock.local',
    fetch: appFetch,
    now,
    maxRetries: 0,
  })
  const inHand = handWritten('http://mock.local', now, async (url: string, init: RequestInit) =>
    app.fetch(new Request(url, init)),
  )
  await timeBatch(() => inClient.queryTasks(REQUEST), 1000)
  await timeBatch(() => inHand(REQUEST), 1000)
  const [ic, ih] = await alternate(
    [
      () => timeBatch(() => inClient.queryTasks(REQUEST), calls),
      () => timeBatch(() => inHand(REQUEST), calls),
    ],
    rounds,
  )
  const inProcess = { client: ic!, hand: ih! }
  return report(rounds, calls, perCall, inProcess, iteration)
}

function report(
  rounds: number,
  calls: number,
  perCall: { client: number[]; hand: number[] },
  inProcess: { client: number[]; hand: number[] },
  it: IterationResult,
): Section {
  const ic = median(inProcess.client)
  const ih = median(inProcess.hand)
  const c = median(perCall.client)
  const h = median(perCall.hand)
  const r = ratio(c, h)
  const perRound = perCall.client.map((x, i) => ratio(x, perCall.hand[i]!))
  const heapMin = Math.min(...it.heap)
  const heapMax = Math.max(...it.heap)
  const spread = heapMax - heapMin
  const flat = it.gc ? spread < 4 * 1024 * 1024 : spread < 32 * 1024 * 1024
  const targets: Target[] = [
    {
      benchmark: 'client-overhead',
      target: 'client.queryTasks ≤ 1.10× hand-written fetch + md5 + JSON.parse per call',
      measured: `${fmtRatio(r)} (${fmt(c * 1000)} µs vs ${fmt(h * 1000)} µs)`,
      ok: r <= 1.1,
      ...(r > 1.1 ? { missedBy: `${fmt((r - 1.1) * 100)} points over` } : {}),
    },
    {
      benchmark: 'client-overhead',
      target: `iterateTasks over 100k tasks keeps heap flat (max − min heapUsed${it.gc ? ' after gc' : ''}, sampled per page)`,
      measured: `${fmtBytes(spread)} over ${it.pages} pages`,
      ok: flat,
      ...(flat ? {} : { missedBy: `heap grew ${fmtBytes(spread)}` }),
    },
  ]
  const body = [
    `Against the mock over HTTP on 127.0.0.1 (its own child process, \`--log-level error --now <ts>\`, default dataset), body \`${QUERY_BODY}\`. ${rounds} rounds × ${calls} sequential calls per contender, alternating client / hand-written, after 500 warm-up calls each. The hand-written path signs with \`node:crypto\` md5, POSTs with global \`fetch\`, reads text, \`JSON.parse\`s and checks \`status\`; the client adds openapi-fetch, its signing middleware (@noble/hashes md5), timeout/abort plumbing and envelope checks. \`maxRetries: 0\`.`,
    '',
    markdownTable(
      ['contender', 'µs per call (median)', 'per round (µs)'],
      [
        ['client.queryTasks', c * 1000, perCall.client.map((x) => fmt(x * 1000)).join(' / ')],
        ['hand-written fetch', h * 1000, perCall.hand.map((x) => fmt(x * 1000)).join(' / ')],
      ],
    ),
    '',
    `Ratio of medians: **${fmtRatio(r)}** (per-round ratios ${perRound.map((x) => x.toFixed(3)).join(', ')}).`,
    '',
    `For contrast, in process (no socket: the client gets \`fetch: (req) => app.fetch(req)\`, the hand-written path calls \`app.fetch(new Request(url, init))\` on the same \`createMockApp()\`), same rounds and calls: client ${fmt(ic * 1000)} µs vs hand-written ${fmt(ih * 1000)} µs per call = **${fmtRatio(ratio(ic, ih))}**; the difference, ${fmt((ic - ih) * 1000)} µs per call, is the client's own cost (openapi-fetch, middleware, timeout/abort set-up, envelope checks). Not a target: the target is over HTTP, where an integrator uses it.`,
    '',
    `**iterateTasks**: mock with \`--tasks 100000\`, \`client.iterateTasks({ params: {}, size: 100 })\` walked record by record in a fresh \`node --expose-gc\` process (\`dist/iterate-worker.js\`): ${fmt(it.records)} records, ${it.pages} pages in ${fmt(it.ms)} ms (${fmt(it.ms / it.pages)} ms/page, including a forced full \`gc()\` per page). heapUsed sampled at every page boundary from page 2 on${it.gc ? ' right after `gc()` (run with `--expose-gc`)' : ' (no --expose-gc: includes garbage not yet collected)'}: min ${fmtBytes(heapMin)}, max ${fmtBytes(heapMax)}, first ${fmtBytes(it.heap[0]!)}, last ${fmtBytes(it.heap.at(-1)!)} (last − first ${fmtBytes(it.heap.at(-1)! - it.heap[0]!)}); **max − min = ${fmtBytes(spread)}**, against ~${fmtBytes(it.records * 700)} of records walked (about 700 B of JSON each).`,
  ].join('\n')
  return {
    id: 'client-overhead',
    title: '4. Client overhead',
    body,
    targets,
    command: 'pnpm bench -- client-overhead',
  }
}
