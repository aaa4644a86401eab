/**
 * Replicas on one Redis (`--store redis://…`, `--workers n`): what sharing state costs.
 * 1. preview/query req/s with 1 and 2 worker processes (one port, node:cluster), unpinned so the
 *    workers can use both cores; the load generator shares them.
 * 2. The read path, Redis store vs in memory: both mocks loaded at the same time on the server
 *    CPU (the head-to-head method: every swing of the machine hits both), req/s and server CPU
 *    per request. Reads never wait on Redis; the target is ≥ 90 % of in-memory.
 * 3. The write path (seatGroup/addGroup, unique names): in memory vs through the Redis log
 *    (each write appended, then answered once applied); loaded together, CPU per write.
 * 4. Propagation: how long after one replica answers a write another one has it.
 * Needs Debian's redis-server (started on a free port, no persistence, stopped afterwards).
 */
import { cpus } from 'node:os'
import { computeSign } from '@laaffic-kit/protocol'
import { redisServerPath, startRedisServer } from '@laaffic-kit/test-utils'
import autocannon from 'autocannon'
import { API_KEY, API_SECRET, ENDPOINT_PATH, FROZEN_TS, QUERY_BODY, signedHeaders } from './fixtures.js'
import { waitForSuccess } from './http.js'
import { type LoadSpec, loadRound, verifyAll } from './load.js'
import { MOCK_CLI } from './paths.js'
import { pinHarness, pinningLine } from './pinning.js'
import { cpuSeconds, type ServerProcess, spawnServer } from './processes.js'
import type { Section, Target } from './report.js'
import { mockArgs, startMock } from './servers.js'
import { median, percentile } from './stats.js'
import { fmt, markdownTable } from './table.js'

export interface ReplicaBenchOptions {
  rounds: number
  seconds: number
  warmupSeconds: number
  connections: number
}

export function replicaOptions(env: NodeJS.ProcessEnv = process.env): ReplicaBenchOptions {
  return {
    rounds: Number(env.BENCH_ROUNDS ?? 5),
    seconds: Number(env.BENCH_SECONDS ?? 3),
    warmupSeconds: Number(env.BENCH_WARMUP_SECONDS ?? 2),
    connections: 50,
  }
}

const ADD_GROUP = '/v3/cc/seatGroup/addGroup'
const READ_TARGET = 0.9

const spec = (url: string, connections: number): LoadSpec => ({
  url,
  path: ENDPOINT_PATH,
  headers: signedHeaders(),
  body: QUERY_BODY,
  connections,
})

/** The mock with --workers, not pinned (the workers are meant to use every core). */
function startWorkers(store: string, workers: number): Promise<ServerProcess> {
  return spawnServer(
    process.execPath,
    [MOCK_CLI, ...mockArgs(), '--store', store, ...(workers > 1 ? ['--workers', String(workers)] : [])],
    { pinned: false, timeoutMs: 60_000 },
  )
}

async function groupCount(url: string): Promise<number> {
  const res = await fetch(`${url}/__admin/accounts`)
  const { accounts } = (await res.json()) as { accounts: { apiKey: string; groups: number }[] }
  return accounts.find((a) => a.apiKey === API_KEY)?.groups ?? Number.NaN
}

let sequence = 0
/** One write round: addGroup with a unique name per request; the world must grow by the 2xx answers. */
async function writeRound(url: string, label: string, o: ReplicaBenchOptions, seconds: number) {
  const before = await groupCount(url)
  const headers = {
    'content-type': 'application/json;charset=UTF-8',
    'Api-Key': API_KEY,
    Timestamp: String(FROZEN_TS),
    Sign: computeSign(API_KEY, API_SECRET, FROZEN_TS),
  }
  const r = await autocannon({
    url,
    requests: [
      {
        method: 'POST',
        path: ADD_GROUP,
        headers,
        setupRequest: (req) => ({
          ...req,
          body: `{"appId":"1000009","groupName":"r${label}-${(sequence++).toString(36)}"}`,
        }),
      },
    ],
    connections: o.connections,
    duration: seconds,
    timeout: 10,
  })
  const grown = (await groupCount(url)) - before
  return {
    rps: r.requests.average,
    p99: r.latency.p99,
    total: r.requests.total,
    ok2xx: r['2xx'],
    errors: r.errors + r.timeouts + r.non2xx,
    grown,
  }
}

/**
 * Adds `n` groups on `a`; after each answer, polls `b` (its group count: O(1), a name search
 * would scan every group the write rounds added) until it has the group: ms per write.
 */
async function propagationMs(a: string, b: string, n: number): Promise<number[]> {
  const headers = signedHeaders()
  const out: number[] = []
  let expected = await groupCount(a)
  for (let i = 0; i < n; i++) {
    const name = `prop-${i}-${(sequence++).toString(36)}`
    const added = await fetch(`${a}${ADD_GROUP}`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ appId: '1000012', groupName: name }),
    })
    if (((await added.json()) as { status: number }).status !== 0) throw new Error(`addGroup ${name} failed`)
    expected++
    const t0 = performance.now()
    while ((await groupCount(b)) < expected) {
      if (performance.now() - t0 > 5000) throw new Error(`${name} not seen on the other replica within 5 s`)
      await new Promise((r) => setTimeout(r, 1))
    }
    out.push(performance.now() - t0)
  }
  return out
}

export async function replicas(o = replicaOptions()): Promise<Section> {
  if (redisServerPath() === undefined)
    throw new Error('redis-server is not installed (apt-get install redis-server)')
  const redis = await startRedisServer()
  const servers: ServerProcess[] = []
  const stopAll = () => Promise.all(servers.splice(0).map((s) => s.stop()))
  try {
    // 1. Workers, unpinned (before the harness pins itself).
    const w1 = await startWorkers(redis.url, 1)
    servers.push(w1)
    const w2 = await startWorkers(redis.url, 2)
    servers.push(w2)
    for (const s of [w1, w2]) await waitForSuccess(s.url + ENDPOINT_PATH, () => signedHeaders(), QUERY_BODY)
    for (const s of [w1, w2]) await loadRound(spec(s.url, o.connections), o.warmupSeconds)
    const workerRps: number[][] = [[], []]
    for (let r = 0; r < o.rounds; r++) {
      for (const [i, s] of [w1, w2].entries()) {
        const x = await loadRound(spec(s.url, o.connections), o.seconds)
        workerRps[i]?.push(x.rps)
        process.stderr.write(`  ${i + 1} worker(s): ${fmt(x.rps)} req/s\n`)
      }
    }
    const workerBad = [
      (await verifyAll(spec(w1.url, o.connections), 1)).bad,
      (await verifyAll(spec(w2.url, o.connections), 1)).bad,
    ]
    await stopAll()

    // 2. Read path, loaded together on the server CPU.
    pinHarness()
    const extra = process.env.BENCH_REPLICAS_EXTRA?.split(' ').filter((a) => a !== '') ?? []
    const memory = await startMock({ extraArgs: extra })
    servers.push(memory)
    const shared = await startMock({ extraArgs: ['--store', redis.url, ...extra] })
    servers.push(shared)
    const pair = [memory, shared]
    for (const s of pair) await waitForSuccess(s.url + ENDPOINT_PATH, () => signedHeaders(), QUERY_BODY)
    const readBad = [] as number[]
    for (const s of pair) readBad.push((await verifyAll(spec(s.url, o.connections), 1)).bad)
    await Promise.all(pair.map((s) => loadRound(spec(s.url, o.connections), o.warmupSeconds)))
    const readRps: number[][] = [[], []]
    const readCpu: number[][] = [[], []]
    for (let r = 0; r < o.rounds; r++) {
      const before = pair.map((s) => cpuSeconds(s.pid))
      const together = await Promise.all(pair.map((s) => loadRound(spec(s.url, o.connections), o.seconds)))
      together.forEach((x, i) => {
        readRps[i]?.push(x.rps)
        readCpu[i]?.push(((cpuSeconds(pair[i]!.pid) - before[i]!) / x.total) * 1e6)
      })
      process.stderr.write(`  read: memory ${fmt(together[0]!.rps)}, redis ${fmt(together[1]!.rps)} req/s\n`)
    }

    // 3. Write path, both loaded at the same time (as the read path), CPU per request from /proc.
    await Promise.all(pair.map((s) => writeRound(s.url, 'warm', o, o.warmupSeconds)))
    const writes: ReturnType<typeof writeRound> extends Promise<infer T> ? T[][] : never = [[], []]
    const writeCpu: number[][] = [[], [], []] // memory mock, redis mock, redis-server (per redis write)
    for (let r = 0; r < o.rounds; r++) {
      const before = [...pair.map((s) => cpuSeconds(s.pid)), cpuSeconds(redis.process.pid)]
      const together = await Promise.all(pair.map((s, i) => writeRound(s.url, `${i}${r}`, o, o.seconds)))
      const after = [...pair.map((s) => cpuSeconds(s.pid)), cpuSeconds(redis.process.pid)]
      together.forEach((x, i) => {
        writes[i]?.push(x)
      })
      const per = (i: number, count: number) => ((after[i]! - before[i]!) / Math.max(1, count)) * 1e6
      writeCpu[0]?.push(per(0, together[0]!.total))
      writeCpu[1]?.push(per(1, together[1]!.total))
      writeCpu[2]?.push(per(2, together[1]!.total))
      process.stderr.write(`  write: memory ${fmt(together[0]!.rps)}, redis ${fmt(together[1]!.rps)} req/s\n`)
    }
    // 4. Propagation: a write answered by one replica, polled for on another.
    const other = await startMock({ extraArgs: ['--store', redis.url, ...extra] })
    servers.push(other)
    const propagation = await propagationMs(shared.url, other.url, 100)
    process.stderr.write(`  propagation: median ${fmt(median(propagation))} ms\n`)
    const workersPerRound = workerRps[1]!.map((x, r) => x / workerRps[0]![r]!)
    return report(o, {
      workerRps,
      workersPerRound,
      workerBad,
      readRps,
      readCpu,
      readBad,
      writes,
      writeCpu,
      propagation,
    })
  } finally {
    await stopAll()
    await redis.stop()
  }
}

function report(
  o: ReplicaBenchOptions,
  m: {
    workerRps: number[][]
    workersPerRound: number[]
    workerBad: number[]
    readRps: number[][]
    readCpu: number[][]
    readBad: number[]
    writes: { rps: number; p99: number; ok2xx: number; errors: number; grown: number }[][]
    writeCpu: number[][]
    propagation: number[]
  },
): Section {
  const list = (xs: readonly number[]) => xs.map((x) => fmt(x)).join(' / ')
  const perRound = m.readRps[1]!.map((x, r) => x / m.readRps[0]![r]!)
  const readRatio = median(perRound)
  const cpuRatio = median(m.readCpu[0]!.map((x, r) => x / m.readCpu[1]![r]!))
  // A write answered 2xx but not applied would leave the world smaller than the 2xx count
  // (requests still in flight when a round stops may add up to `connections` more).
  const applied = m.writes.map((rounds) =>
    rounds.every((x) => x.grown >= x.ok2xx && x.grown <= x.ok2xx + o.connections),
  )
  const targets: Target[] = [
    {
      benchmark: 'replicas',
      target: 'preview/query with --store redis:// ≥ 90 % of in-memory req/s (reads never wait on Redis)',
      measured: `${fmt(readRatio * 100)} % (median of ${perRound.length} simultaneous rounds: ${perRound.map((x) => fmt(x * 100)).join(' / ')} %); by server CPU per request ${fmt(cpuRatio * 100)} %`,
      ok: readRatio >= READ_TARGET && cpuRatio >= READ_TARGET,
      ...(readRatio < READ_TARGET
        ? { missedBy: `${fmt((READ_TARGET - readRatio) * 100)} points short` }
        : {}),
    },
  ]
  const cores = cpus().length
  const body = [
    `Redis: Debian's redis-server on 127.0.0.1 (no persistence), not pinned. ${o.connections} connections, ${o.rounds} rounds × ${o.seconds} s after ${o.warmupSeconds} s of warm-up; every server started with \`${mockArgs().join(' ')}\`. This machine has ${cores} cores.`,
    '',
    `**Workers** (\`--store redis://… --workers n\`, one port through node:cluster; not pinned, so the workers, the cluster primary, Redis and the load generator (one autocannon in the harness process) share the ${cores} cores; rounds alternate):`,
    '',
    markdownTable(
      ['workers', 'req/s (median)', 'rounds', 'vs 1 worker', 'bad answers in a 1 s check'],
      [
        ['1', median(m.workerRps[0]!), list(m.workerRps[0]!), '1', m.workerBad[0]!],
        [
          '2',
          median(m.workerRps[1]!),
          list(m.workerRps[1]!),
          `${fmt(median(m.workersPerRound) * 100)} %`,
          m.workerBad[1]!,
        ],
      ],
    ),
    '',
    `**Read path** (preview/query, both mocks loaded at the same time, ${pinningLine()}; "CPU µs per request" from /proc):`,
    '',
    markdownTable(
      ['store', 'req/s (median)', 'rounds', 'server CPU µs per request', 'bad answers in a 1 s check'],
      [
        ['memory', median(m.readRps[0]!), list(m.readRps[0]!), fmt(median(m.readCpu[0]!)), m.readBad[0]!],
        ['redis', median(m.readRps[1]!), list(m.readRps[1]!), fmt(median(m.readCpu[1]!)), m.readBad[1]!],
      ],
    ),
    '',
    `**Write path** (seatGroup/addGroup, a unique name per request, the same two processes loaded at the same time as above; with Redis each write is appended to the log (a Lua script) and answered once applied; redis-server's own CPU is counted per Redis write, it is not pinned):`,
    '',
    markdownTable(
      [
        'store',
        'req/s (median)',
        'rounds',
        'server CPU µs per write',
        'redis-server CPU µs per write',
        'p99 ms (median)',
        'errors',
        'world grew by the 2xx answers',
      ],
      m.writes.map((rounds, i) => [
        i === 0 ? 'memory' : 'redis',
        median(rounds.map((x) => x.rps)),
        list(rounds.map((x) => x.rps)),
        fmt(median(m.writeCpu[i]!)),
        i === 0 ? '—' : fmt(median(m.writeCpu[2]!)),
        median(rounds.map((x) => x.p99)),
        rounds.reduce((n, x) => n + x.errors, 0),
        applied[i] ? 'yes' : 'NO',
      ]),
    ),
    '',
    `**Propagation**: ${m.propagation.length} groups added one after another on one replica; after each answer, another replica (same Redis) is asked for its group count every millisecond until the group is there. Time from the answer to the first answer that has it (one admin round trip included): median ${fmt(median(m.propagation))} ms, 90th percentile ${fmt(percentile(m.propagation, 90))} ms, max ${fmt(Math.max(...m.propagation))} ms.`,
  ].join('\n')
  return {
    id: 'replicas',
    title: 'Replicas on one Redis: workers, read path, write path',
    body,
    targets,
    command: 'node packages/benchmarks/dist/replicas-run.js',
  }
}
