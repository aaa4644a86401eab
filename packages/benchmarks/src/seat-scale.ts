/**
 * 8. Seat scale: seat/query and seatGroup/query latency at 1k and 100k seats, in process
 * (`createMockApp({ seats })` then `app.fetch`), each size in a fresh child process.
 */
import { distScript } from './paths.js'
import { runNode } from './processes.js'
import type { Section, Target } from './report.js'
import type { SeatScaleResult } from './seat-scale-worker.js'
import { ratio } from './stats.js'
import { fmt, fmtBytes, fmtMs, fmtRatio, markdownTable } from './table.js'

export const SEAT_SIZES = [1_000, 100_000] as const

export async function seatScale(): Promise<Section> {
  const iterations = process.env.BENCH_SCALE_ITERATIONS ?? '2000'
  const budget = process.env.BENCH_SCALE_BUDGET_MS ?? '2500'
  const results: SeatScaleResult[] = []
  for (const n of SEAT_SIZES) {
    const out = await runNode(
      ['--expose-gc', distScript('seat-scale-worker'), String(n), iterations, budget],
      {
        timeoutMs: 600_000,
      },
    )
    const r = JSON.parse(out.trim().split('\n').at(-1)!) as SeatScaleResult
    process.stderr.write(`  ${fmt(n)} seats: world in ${fmt(r.genMs)} ms, RSS ${fmtBytes(r.rssAfter)}\n`)
    results.push(r)
  }
  const small = results[0]!
  const large = results.at(-1)!
  const rows = small.queries.map((q, qi) => {
    const l = large.queries[qi]!
    return [
      q.name,
      ...results.map((r) => `${fmt(r.queries[qi]!.medianMs * 1000)} / ${fmt(r.queries[qi]!.p99Ms * 1000)}`),
      fmtRatio(ratio(l.medianMs, q.medianMs)),
      fmtRatio(ratio(l.p99Ms, q.p99Ms)),
      results.map((r) => fmt(r.queries[qi]!.total)).join(' / '),
    ]
  })
  const targets: Target[] = small.queries
    .map((q, qi) => ({ q, l: large.queries[qi]! }))
    .filter(({ q }) => !q.scans)
    .map(({ q, l }) => {
      const r = ratio(l.medianMs, q.medianMs)
      return {
        benchmark: 'seat-scale',
        target: `"${q.name}": median at 100k seats within 2× of 1k`,
        measured: `${fmtRatio(r)} (${fmtMs(q.medianMs)} → ${fmtMs(l.medianMs)})`,
        ok: r <= 2,
        ...(r > 2 ? { missedBy: `${fmt(r / 2)}× over the 2× bound` } : {}),
      }
    })
  const body = [
    'In process: `createMockApp({ seats, now, logLevel: "silent" })` (the default account\'s world: its 12 seat groups, the seats spread over them), then `await (await app.fetch(new Request(...))).text()` per call with valid signed headers. Each size in a fresh `node --expose-gc` child; per query 50 warm-up calls, then up to ' +
      `${iterations} timed calls or ${budget} ms. Page size 15; seat/query carries a 30-day statistics window (\`${JSON.stringify({ strTime: '2025-01-01 00:00:00', endTime: '2025-01-31 00:00:00' })}\`); "by group" is the group with the most seats.`,
    '',
    'Latency in µs, `median / p99`:',
    '',
    markdownTable(
      [
        'query',
        ...SEAT_SIZES.map((n) => `${fmt(n)} seats`),
        '100k/1k median',
        '100k/1k p99',
        'matches (total)',
      ],
      rows,
    ),
    '',
    `World build (createMockApp) ${results.map((r) => `${fmt(r.seats)} seats ${fmt(r.genMs)} ms, RSS ${fmtBytes(r.rssAfter)}`).join('; ')}. "by status" filters on a field with no index: it scans the candidate seats to count them (as a SQL COUNT would) and is shown without a target.`,
  ].join('\n')
  return { id: 'seat-scale', title: '8. Seat scale', body, targets, command: 'pnpm bench -- seat-scale' }
}
