/**
 * 4. Client overhead: `client.queryTasks` vs a hand-written fetch + md5 + JSON.parse for the
 * same request against the same mock over HTTP on 127.0.0.1 (the mock in its own child
 * process, clock frozen). Many short batches of sequential calls, one batch per contender per
 * round, the order rotating each round; the per-call time of a batch is batch time / calls.
 * Reported: the ratio of the medians and the median of the per-round ratios. A third,
 * informational contender is the hand-written path plus a per-call timeout (AbortController +
 * setTimeout, signal passed to fetch): what any per-call timeout costs on this runtime.
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
import { mean, median, percentile, ratio, rotate } from './stats.js'
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

/**
 * {@link handWritten} plus what an integrator adds for a per-call timeout: an AbortController,
 * a timer, and the signal passed to fetch. Informational: it shows what the timeout alone costs
 * on this runtime (undici makes every Request follow the signal it is given).
 */
export function handWrittenWithTimeout(
  baseUrl: string,
  now: () => number,
  doFetch: (url: string, init: RequestInit) => Promise<Response> = fetch,
  timeoutMs = 30_000,
) {
  const url = baseUrl + ENDPOINT_PATH
  return async (body: QueryRequest): Promise<unknown> => {
    const controller = new AbortController()
    const timer = setTimeout(() => controller.abort(new Error('timeout')), timeoutMs)
    try {
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
        signal: controller.signal,
      })
      if (!res.ok) throw new Error(`HTTP ${res.status}`)
      const envelope = JSON.parse(await res.text()) as { status: unknown; data: unknown }
      if (!isSuccessEnvelope(envelope)) throw new Error(`status ${String(envelope.status)}`)
      return envelope.data
    } finally {
      clearTimeout(timer)
    }
  }
}

async function timeBatch(call: () => Promise<unknown>, calls: number): Promise<number> {
  const t0 = performance.now()
  for (let i = 0; i < calls; i++) await call()
  return (performance.now() - t0) / calls
}

/** Per contender: ms per call of each round's batch, and CPU ms of this process per call overall. */
export interface Timings {
  wall: number[]
  cpu: number
}

/**
 * `rounds` rounds of one short batch per contender, the order rotating every round. Short
 * batches many times over let a burst of other work on this shared machine hit one round of
 * every contender rather than all of one contender; per-round ratios then cancel slow drift.
 */
async function measure(
  contenders: readonly (() => Promise<unknown>)[],
  rounds: number,
  calls: number,
): Promise<Timings[]> {
  const batches = await rotate(
    contenders.map((call) => async () => {
      const cpu0 = process.cpuUsage()
      const wall = await timeBatch(call, calls)
      const cpu = process.cpuUsage(cpu0)
      return { wall, cpu: (cpu.user + cpu.system) / 1000 / calls }
    }),
    rounds,
  )
  return batches.map((b) => ({ wall: b.map((x) => x.wall), cpu: mean(b.map((x) => x.cpu)) }))
}

export async function clientOverhead(
  rounds = Number(process.env.BENCH_CLIENT_ROUNDS ?? 200),
  calls = Number(process.env.BENCH_CLIENT_CALLS ?? 50),
): Promise<Section> {
  const now = () => FROZEN_NOW_MS
  let perCall: Timings[]
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
    const handTimeout = handWrittenWithTimeout(server.url, now)
    const contenders = [() => client.queryTasks(REQUEST), () => hand(REQUEST), () => handTimeout(REQUEST)]
    // Warm-up: JIT every path and the server.
    for (const call of contenders) await timeBatch(call, 500)
    perCall = await measure(contenders, rounds, calls)
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
  const inFetch = async (url: string, init: RequestInit) => app.fetch(new Request(url, init))
  const inHand = handWritten('http://mock.local', now, inFetch)
  const inHandTimeout = handWrittenWithTimeout('http://mock.local', now, inFetch)
  const inContenders = [
    () => inClient.queryTasks(REQUEST),
    () => inHand(REQUEST),
    () => inHandTimeout(REQUEST),
  ]
  for (const call of inContenders) await timeBatch(call, 1000)
  const inProcess = await measure(inContenders, rounds, calls)
  return report(rounds, calls, perCall, inProcess, iteration)
}

/** Median, quartiles and CPU per call of one contender, in µs. */
function stats(t: Timings) {
  return {
    median: median(t.wall) * 1000,
    p25: percentile(t.wall, 25) * 1000,
    p75: percentile(t.wall, 75) * 1000,
    cpu: t.cpu * 1000,
  }
}

/** The per-round ratios a / b: their median and quartiles. */
function roundRatios(a: Timings, b: Timings) {
  const r = a.wall.map((x, i) => ratio(x, b.wall[i]!))
  return { median: median(r), p25: percentile(r, 25), p75: percentile(r, 75) }
}

const NAMES = ['client.queryTasks', 'hand-written fetch', 'hand-written + timeout (info)']

function table(timings: Timings[]): string {
  return markdownTable(
    ['contender', 'µs per call (median)', 'p25 – p75 (µs)', 'harness CPU µs per call'],
    timings.map((t, i) => {
      const s = stats(t)
      return [NAMES[i]!, s.median, `${fmt(s.p25)} – ${fmt(s.p75)}`, s.cpu]
    }),
  )
}

function report(
  rounds: number,
  calls: number,
  perCall: Timings[],
  inProcess: Timings[],
  it: IterationResult,
): Section {
  const [client, hand, handTimeout] = perCall.map(stats) as [Stats, Stats, Stats]
  const [inClient, inHand, inHandTimeout] = inProcess.map(stats) as [Stats, Stats, Stats]
  const c = client.median
  const h = hand.median
  const r = ratio(c, h)
  const perRound = roundRatios(perCall[0]!, perCall[1]!)
  const vsTimeout = roundRatios(perCall[0]!, perCall[2]!)
  const inRound = roundRatios(inProcess[0]!, inProcess[1]!)
  const heapMin = Math.min(...it.heap)
  const heapMax = Math.max(...it.heap)
  const spread = heapMax - heapMin
  const flat = it.gc ? spread < 4 * 1024 * 1024 : spread < 32 * 1024 * 1024
  const targets: Target[] = [
    {
      benchmark: 'client-overhead',
      target: 'client.queryTasks ≤ 1.10× hand-written fetch + md5 + JSON.parse per call',
      measured: `${fmtRatio(r)} (${fmt(c)} µs vs ${fmt(h)} µs; median per-round ratio ${fmtRatio(perRound.median)})`,
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
  const ratios = (x: { median: number; p25: number; p75: number }) =>
    `${x.median.toFixed(3)} (quartiles ${x.p25.toFixed(3)} – ${x.p75.toFixed(3)})`
  const body = [
    `Against the mock over HTTP on 127.0.0.1 (its own child process, \`--log-level error --now <ts>\`, default dataset), body \`${QUERY_BODY}\`. ${rounds} rounds; each round times one batch of ${calls} sequential calls per contender, the order rotating every round (A B C, B C A, C A B), after 500 warm-up calls each. Per-call time of a batch = batch time / ${calls}. The hand-written path signs with \`node:crypto\` md5, POSTs with global \`fetch\`, reads text, \`JSON.parse\`s and checks \`status\`; the client adds its signing (@noble/hashes md5, reused within a second), a per-attempt timeout and abort plumbing (its own AbortController, passed to fetch) and envelope checks. \`maxRetries: 0\`, default \`timeoutMs\` (30 s). The third row is informational, not the baseline: the hand-written path plus a per-call timeout as an integrator would write it (AbortController + setTimeout, signal passed to \`fetch\`). "Harness CPU" is this process's CPU time (user + system, all threads) per call over all rounds: over HTTP the client side's own cost (the server runs in another process, though the response's size and timing still shape the parse and wake-ups); in process it includes the mock.`,
    '',
    table(perCall),
    '',
    `Ratio of medians: **${fmtRatio(r)}** (the target's measure). Median of the ${rounds} per-round ratios client / hand-written: ${ratios(perRound)}. Client / hand-written + timeout: ${ratios(vsTimeout)}. Client-side CPU: ${fmt(client.cpu)} vs ${fmt(hand.cpu)} µs per call (${signed(client.cpu - hand.cpu)} µs; the timeout alone: ${signed(handTimeout.cpu - hand.cpu)} µs).`,
    '',
    `Method (changed 2026-11-25): previously 10 rounds × 1000 calls of two contenders, always client first, and only the ratio of medians; per-round ratios then ranged 0.99–1.45 on this shared machine. Short batches in many rotating rounds spread a burst of other work over every contender, the median per-round ratio cancels drift, and over HTTP the CPU column leaves out the server's own time.`,
    '',
    `For contrast, in process (no socket: the client gets \`fetch: (req) => app.fetch(req)\`, the hand-written paths call \`app.fetch(new Request(url, init))\` on the same \`createMockApp()\`), same rounds and calls:`,
    '',
    table(inProcess),
    '',
    `Client ${fmt(inClient.median)} µs vs hand-written ${fmt(inHand.median)} µs per call = **${fmtRatio(ratio(inClient.median, inHand.median))}** (median per-round ratio ${ratios(inRound)}); the difference, ${signed(inClient.median - inHand.median)} µs per call, is the client's own cost; a per-call timeout alone (hand-written + timeout − hand-written) measures ${signed(inHandTimeout.median - inHand.median)} µs in the same run. Not a target: the target is over HTTP, where an integrator uses it.`,
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

type Stats = ReturnType<typeof stats>

const signed = (x: number) => `${x < 0 ? '−' : '+'}${fmt(Math.abs(x))}`
