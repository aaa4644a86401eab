/**
 * 6. Soak: BENCH_SOAK_SECONDS (default 60) at 50 connections against the mock with a mix of
 * valid queries, bad signatures and invalid bodies. Targets: 0 HTTP 5xx, no crash, RSS growth
 * < 10 % between the end of a warm-up and the end of the run (/proc/<pid>/status VmRSS).
 */

import { relative, resolve } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import autocannon, { type RequestSpec, type Result } from 'autocannon'
import { API_KEY, ENDPOINT_PATH, QUERY_BODY, signedHeaders } from './fixtures.js'
import { waitForSuccess } from './http.js'
import { REPO_ROOT } from './paths.js'
import { rssBytes, type ServerProcess } from './processes.js'
import type { Section, Target } from './report.js'
import { startMock } from './servers.js'
import { fmt, fmtBytes, markdownTable } from './table.js'

const STATUS_RE = /"status"\s*:\s*"?(-?\d+)/

interface Kind {
  name: string
  expect: number
  spec: RequestSpec
}

function kinds(): Kind[] {
  const good = signedHeaders()
  return [
    { name: 'valid query (page 1)', expect: 0, spec: { headers: good, body: QUERY_BODY } },
    {
      name: 'valid query (filters, page 3)',
      expect: 0,
      spec: {
        headers: good,
        body: JSON.stringify({
          current: 3,
          size: 20,
          params: { taskStatus: [11, 12], startTime: '2024-01-01', endTime: '2025-12-31' },
        }),
      },
    },
    {
      name: 'bad signature',
      expect: -1,
      spec: { headers: { ...good, Sign: '0'.repeat(32) }, body: QUERY_BODY },
    },
    {
      name: 'wrong Api-Key',
      expect: -1,
      spec: { headers: { ...good, 'Api-Key': `${API_KEY}x` }, body: QUERY_BODY },
    },
    {
      name: 'invalid body (size 1000)',
      expect: -22,
      spec: { headers: good, body: JSON.stringify({ current: 1, size: 1000, params: {} }) },
    },
    { name: 'malformed JSON', expect: -22, spec: { headers: good, body: '{"current":1,"size":' } },
  ]
}

/** heapUsed of a server started through servers/profiled.js, after a full gc (SIGUSR2). */
interface Memory {
  rss: number
  heapTotal: number
  heapUsed: number
  external: number
  arrayBuffers: number
}

async function heapAfterGc(server: ServerProcess): Promise<Memory> {
  const before = server.output().length
  process.kill(server.pid, 'SIGUSR2')
  const deadline = performance.now() + 5000
  while (performance.now() < deadline) {
    const m = /MEMORY (\{.*\})/.exec(server.output().slice(before))
    if (m) return JSON.parse(m[1]!) as Memory
    await sleep(20)
  }
  throw new Error('the mock did not report its memory')
}

export async function soak(seconds = Number(process.env.BENCH_SOAK_SECONDS ?? 60)): Promise<Section> {
  const main = await soakOnce(seconds)
  const candidate = process.env.BENCH_CANDIDATE_CLI
  if (!candidate) return main
  const alt = await soakOnce(seconds, resolve(candidate))
  main.body += `\n\n### Candidate build (BENCH_CANDIDATE_CLI=\`${candidate}\`), same soak, run after the one above\n\n${alt.body}\n\nCandidate verdicts: ${alt.targets.map((t) => `${t.target}: ${t.measured} (${t.ok ? 'met' : 'missed'})`).join('; ')}.`
  return main
}

async function soakOnce(seconds: number, cli?: string): Promise<Section> {
  const list = kinds()
  const counts = list.map(() => new Map<string, number>())
  let recording = false
  const requests: RequestSpec[] = list.map((k, i) => ({
    method: 'POST',
    path: ENDPOINT_PATH,
    headers: k.spec.headers!,
    body: k.spec.body!,
    onResponse: (status: number, body: string) => {
      if (!recording) return
      const inBand = STATUS_RE.exec(body.slice(0, 64))?.[1] ?? 'none'
      const key = `${status}/${inBand}`
      const m = counts[i]!
      m.set(key, (m.get(key) ?? 0) + 1)
    },
  }))
  // Warm-up: at least `minWarmup` s, then 5 s steps until RSS moves < 2 % in a step (at most
  // `maxWarmup` s). V8 grows its young generation once enough bytes have survived scavenges;
  // the less a server promotes, the later that happens, and a fixed 10 s warm-up then counted
  // the heap's one-off growth to its working size as "growth" (82.9 → 102 MiB, flat after 10 s).
  const minWarmup = Math.min(10, Math.max(1, Math.round(seconds / 6)))
  const maxWarmup = Math.max(minWarmup, Math.min(40, seconds))
  let warmup = minWarmup
  const warmupRss: number[] = []
  // Through servers/profiled.js with --expose-gc: SIGUSR2 reports heap after a full gc.
  const server = await startMock({ nodeFlags: ['--expose-gc'], ...(cli ? { cli } : {}) })
  const heap: Memory[] = []
  const rss: { t: number; bytes: number }[] = []
  let crashed = false
  let stopping = false
  void server.exited.then(() => {
    if (!stopping) crashed = true
  })
  let result: Result
  try {
    await waitForSuccess(server.url + ENDPOINT_PATH, () => signedHeaders(), QUERY_BODY)
    await autocannon({ url: server.url, requests, connections: 50, duration: minWarmup })
    // The full gc() behind this snapshot can shrink the heap; taken inside the warm-up, so the
    // regrowth happens before the measured run starts.
    heap.push(await heapAfterGc(server))
    warmupRss.push(rssBytes(server.pid))
    while (warmup < maxWarmup) {
      await autocannon({ url: server.url, requests, connections: 50, duration: 5 })
      warmup += 5
      const now = rssBytes(server.pid)
      const before = warmupRss.at(-1)!
      warmupRss.push(now)
      if (Math.abs(now - before) / before < 0.02) break
    }
    rss.push({ t: 0, bytes: rssBytes(server.pid) })
    recording = true
    const t0 = performance.now()
    const sampler = setInterval(() => {
      try {
        rss.push({ t: (performance.now() - t0) / 1000, bytes: rssBytes(server.pid) })
      } catch {}
    }, 5000)
    try {
      result = await autocannon({
        url: server.url,
        requests,
        connections: 50,
        duration: seconds,
        timeout: 10,
      })
    } finally {
      clearInterval(sampler)
    }
    recording = false
    rss.push({ t: (performance.now() - t0) / 1000, bytes: rssBytes(server.pid) })
    heap.push(await heapAfterGc(server))
    // Still alive and still right after the soak?
    await waitForSuccess(server.url + ENDPOINT_PATH, () => signedHeaders(), QUERY_BODY, 5000)
  } catch (err) {
    if (crashed) throw new Error(`mock crashed during the soak:\n${server.output().slice(-2000)}`)
    throw err
  } finally {
    stopping = true
    await server.stop()
  }
  const start = rss[0]!.bytes
  const end = rss.at(-1)!.bytes
  const growth = (end - start) / start
  const mid = rss.find((x) => x.t >= seconds / 2)?.bytes ?? start
  const r5xx = result['5xx']
  const unexpected = list.reduce((n, k, i) => {
    for (const [key, c] of counts[i]!) if (key !== `200/${k.expect}`) n += c
    return n
  }, 0)
  const targets: Target[] = [
    {
      benchmark: 'soak',
      target: `soak ${seconds} s: 0 HTTP 5xx, 0 crashes`,
      measured: `${r5xx} 5xx, ${result.errors} transport errors, ${result.timeouts} timeouts, ${crashed ? 'CRASHED' : 'no crash'}`,
      ok: r5xx === 0 && !crashed,
    },
    {
      benchmark: 'soak',
      target: 'soak: RSS growth < 10 % (after warm-up → end)',
      measured: `${fmtBytes(start)} → ${fmtBytes(end)} (${growth >= 0 ? '+' : ''}${fmt(growth * 100)} %)`,
      ok: growth < 0.1,
      ...(growth < 0.1 ? {} : { missedBy: `${fmt((growth - 0.1) * 100)} points over` }),
    },
    {
      benchmark: 'soak',
      target: 'soak: every answer carries the expected in-band status',
      measured: `${unexpected} unexpected of ${fmt(result.requests.total)}`,
      ok: unexpected === 0,
    },
  ]
  const body = [
    `\`${seconds}\` s at 50 connections (after a ${warmup} s warm-up with the same mix: ${minWarmup} s, then 5 s steps until RSS moved < 2 % in a step, at most ${maxWarmup} s; RSS at its steps ${warmupRss.map((b) => fmtBytes(b)).join(', ')}), mock started as \`node --expose-gc packages/benchmarks/dist/servers/profiled.js ${cli ? relative(REPO_ROOT, cli) : 'apps/mock-server/dist/cli.js'} --host 127.0.0.1 --port 0 --log-level error --now <ts>\`; each autocannon connection cycles through the ${list.length} requests below. ${fmt(result.requests.total)} requests, ${fmt(result.requests.average)} req/s average, p99 ${result.latency.p99} ms.`,
    '',
    markdownTable(
      ['request', 'expected', 'answers (HTTP/in-band status: count)'],
      list.map((k, i) => [
        k.name,
        `200/${k.expect}`,
        [...counts[i]!.entries()].map(([key, c]) => `${key}: ${fmt(c)}`).join(', ') || '—',
      ]),
    ),
    '',
    `HTTP status counts: ${Object.entries(result.statusCodeStats ?? {})
      .map(([code, v]) => `${code}: ${fmt((v as { count: number }).count)}`)
      .join(', ')}; 5xx: ${r5xx}; transport errors: ${result.errors}; timeouts: ${result.timeouts}.`,
    '',
    `RSS of the mock process (VmRSS) every 5 s: ${rss.map((s) => `${Math.round(s.t)} s ${fmtBytes(s.bytes)}`).join(', ')}.`,
    '',
    `Memory of the mock right after a full \`gc()\` (the mock runs under \`packages/benchmarks/dist/servers/profiled.js\` with \`--expose-gc\`; SIGUSR2 prints \`process.memoryUsage()\`), early in the warm-up → end:`,
    '',
    markdownTable(
      ['', `warm-up, after ${minWarmup} s`, 'end', 'change'],
      (['rss', 'heapTotal', 'heapUsed', 'external', 'arrayBuffers'] as const).map((k) => [
        k,
        fmtBytes(heap[0]![k]),
        fmtBytes(heap[1]![k]),
        `${heap[1]![k] >= heap[0]![k] ? '+' : ''}${fmtBytes(heap[1]![k] - heap[0]![k])}`,
      ]),
    ),
    '',
    `Growth over the second half of the run (a leak keeps growing; a heap settling after warm-up does not): ${fmtBytes(mid)} → ${fmtBytes(end)} (${fmt(((end - mid) / mid) * 100)} %).`,
  ].join('\n')
  return { id: 'soak', title: '6. Soak', body, targets, command: 'pnpm bench -- soak' }
}
