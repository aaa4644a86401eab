/**
 * 9. Head to head: the mock, an earlier build of it (BENCH_BASELINE_CLI) and the same app on Bun
 * under load *at the same time*, all pinned to the server CPU. Alternating rounds (the throughput
 * benchmark) compare moments; on a shared machine whose background load swings from one second
 * to the next, that spread swamps a 5 % difference. Loaded together, the servers split one core
 * (the scheduler gives each runnable process an equal share), every swing hits all of them at
 * once, and the req/s ratio is the inverse ratio of their CPU cost per request.
 */
import { ENDPOINT_PATH, QUERY_BODY, signedHeaders } from './fixtures.js'
import { loadRound, type RoundResult, startQueryServers, verifyAll } from './load.js'
import { bunBinary } from './paths.js'
import { pinningLine } from './pinning.js'
import { cpuSeconds, type ServerProcess } from './processes.js'
import type { Section, Target } from './report.js'
import { startBunMock, startMock } from './servers.js'
import { median } from './stats.js'
import { fmt, fmtRatio, markdownTable } from './table.js'

interface Entrant {
  name: string
  how: string
  start: () => Promise<ServerProcess>
}

export function entrants(
  env: NodeJS.ProcessEnv = process.env,
  bunRuns = bunBinary() !== undefined,
): Entrant[] {
  const list: Entrant[] = [
    {
      name: 'mock',
      how: '`node apps/mock-server/dist/cli.js --log-level error --now <ts>`',
      start: () => startMock(),
    },
  ]
  const baseline = env.BENCH_BASELINE_CLI
  if (baseline) {
    list.push({
      name: 'mock baseline',
      how: `\`${baseline}\`${env.BENCH_BASELINE_NAME ? ` (${env.BENCH_BASELINE_NAME})` : ''} with the same flags`,
      start: () => startMock({ cli: baseline }),
    })
  }
  if (bunRuns) {
    list.push({
      name: 'mock on Bun',
      how: '`bun packages/benchmarks/dist/servers/bun-mock.js` (the same app under Bun.serve)',
      start: () => startBunMock(),
    })
  }
  // BENCH_CONTENDERS=<name,…> keeps only those (e.g. `mock,mock baseline`: two servers, more share each).
  const only = env.BENCH_CONTENDERS?.split(',')
    .map((n) => n.trim())
    .filter((n) => n !== '')
  return only && only.length > 0 ? list.filter((e) => only.includes(e.name)) : list
}

export async function headToHead(
  o = {
    rounds: Number(process.env.BENCH_ROUNDS ?? 10),
    seconds: Number(process.env.BENCH_SECONDS ?? 3),
    warmupSeconds: Number(process.env.BENCH_WARMUP_SECONDS ?? 5),
    connections: 50,
  },
): Promise<Section> {
  const list = entrants()
  if (list.length < 2) throw new Error('head-to-head needs BENCH_BASELINE_CLI or a working bun')
  const headers = signedHeaders()
  const servers: ServerProcess[] = []
  try {
    const specs = await startQueryServers(list, servers, headers, o.connections)
    const bad: number[] = []
    for (const spec of specs) bad.push((await verifyAll(spec, 1)).bad)
    await Promise.all(specs.map((spec) => loadRound(spec, o.warmupSeconds)))
    const rounds: RoundResult[][] = []
    const cpu: number[][] = []
    for (let r = 0; r < o.rounds; r++) {
      const before = servers.map((s) => cpuSeconds(s.pid))
      const together = await Promise.all(specs.map((spec) => loadRound(spec, o.seconds)))
      // µs of server CPU per answered request in this round.
      cpu.push(servers.map((s, i) => ((cpuSeconds(s.pid) - before[i]!) / together[i]!.total) * 1e6))
      rounds.push(together)
      process.stderr.write(`  ${together.map((x, i) => `${list[i]!.name} ${fmt(x.rps)}`).join(', ')} req/s\n`)
    }
    return report(o, list, rounds, cpu, bad)
  } finally {
    await Promise.all(servers.map((s) => s.stop()))
  }
}

function report(
  o: { rounds: number; seconds: number; warmupSeconds: number; connections: number },
  list: Entrant[],
  rounds: RoundResult[][],
  cpu: number[][],
  bad: number[],
): Section {
  const cpuOf = (i: number) => cpu.map((r) => r[i]!)
  const rps = (i: number) => rounds.map((r) => r[i]!.rps)
  const vsMock = (i: number) => rounds.map((r) => r[i]!.rps / r[0]!.rps)
  const rows = list.map((e, i) => [
    e.name,
    median(rps(i)),
    rps(i)
      .map((x) => fmt(x))
      .join(' / '),
    i === 0 ? '1' : fmtRatio(median(vsMock(i))),
    fmt(median(cpuOf(i))),
    i === 0 ? '1' : fmtRatio(median(cpu.map((r) => r[i]! / r[0]!))),
    rounds.reduce((n, r) => n + r[i]!.errors + r[i]!.timeouts + r[i]!.non2xx, 0),
    bad[i]!,
  ])
  const targets: Target[] = []
  const b = list.findIndex((e) => e.name === 'mock baseline')
  const lines: string[] = []
  if (b > 0) {
    // mock / baseline per round, from the same seconds.
    const perRound = rounds.map((r) => r[0]!.rps / r[b]!.rps)
    const m = median(perRound)
    // The same in CPU: baseline µs per request / mock µs per request (1 = equal cost).
    const cpuRatio = median(cpu.map((r) => r[b]! / r[0]!))
    targets.push({
      benchmark: 'head-to-head',
      target: 'preview/query: mock ≥ 95 % of the previous mock (BENCH_BASELINE_CLI), loaded at the same time',
      measured: `${fmt(m * 100)} % req/s (median of ${perRound.length} simultaneous rounds: ${perRound.map((x) => fmt(x * 100)).join(' / ')} %); by server CPU per request ${fmt(cpuRatio * 100)} %`,
      ok: m >= 0.95 && cpuRatio >= 0.95,
      ...(m < 0.95 ? { missedBy: `${fmt((0.95 - m) * 100)} points short` } : {}),
    })
    lines.push(
      `mock / baseline per round: ${perRound.map((x) => `${fmt(x * 100)} %`).join(', ')}; median ${fmt(m * 100)} %.`,
    )
  }
  const bun = list.findIndex((e) => e.name === 'mock on Bun')
  if (bun > 0) {
    const perRound = vsMock(bun)
    lines.push(
      `mock on Bun / mock on Node per round: ${perRound.map((x) => fmtRatio(x)).join(', ')}; median ${fmtRatio(median(perRound))}.`,
    )
  }
  const body = [
    `POST ${ENDPOINT_PATH} with \`${QUERY_BODY}\`, ${o.connections} connections per server, every server loaded at the same time by its own autocannon (all in the harness process) for ${o.rounds} rounds × ${o.seconds} s after a ${o.warmupSeconds} s warm-up; ${pinningLine()}, so the servers share one core and each req/s is what its CPU cost per request allows in its share. Ratios are per round (the same seconds), then the median. "server CPU µs per request" = the server process's user + system CPU time (/proc/<pid>/stat, all threads, 10 ms ticks) over the round ÷ the requests it answered: the cost per request whatever limited the round (the shared core, or the one harness core driving all the load).`,
    '',
    markdownTable(
      [
        'server',
        'req/s (median)',
        'req/s per round',
        'req/s vs mock (median of rounds)',
        'server CPU µs per request (median)',
        'CPU per request vs mock',
        'errors',
        'bad bodies (1 s check)',
      ],
      rows,
    ),
    '',
    'Servers:',
    ...list.map((e) => `- **${e.name}**: ${e.how}`),
    '',
    ...lines,
  ].join('\n')
  return {
    id: 'head-to-head',
    title: '9. Head to head (loaded together)',
    body,
    targets,
    command: 'BENCH_BASELINE_CLI=<earlier cli.js> pnpm bench -- head-to-head',
  }
}
