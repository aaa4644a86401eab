/**
 * 2. Dataset scale: query latency at 1k, 100k and 1M tasks, in process (`createMockApp({ tasks })`
 * then `app.fetch(new Request(...))`), each size in a fresh child process (`--expose-gc`), so
 * generation time and RSS are those of a process holding only that dataset.
 */
import { distScript } from './paths.js'
import { runNode } from './processes.js'
import type { Section, Target } from './report.js'
import type { ScaleResult } from './scale-worker.js'
import { ratio } from './stats.js'
import { fmt, fmtBytes, fmtMs, fmtRatio, markdownTable } from './table.js'

export const SCALE_SIZES = [1_000, 100_000, 1_000_000] as const
const RSS_LIMIT = 400 * 1024 * 1024

export async function scale(): Promise<Section> {
  const iterations = process.env.BENCH_SCALE_ITERATIONS ?? '2000'
  const budget = process.env.BENCH_SCALE_BUDGET_MS ?? '2500'
  const results: ScaleResult[] = []
  for (const n of SCALE_SIZES) {
    const out = await runNode(['--expose-gc', distScript('scale-worker'), String(n), iterations, budget], {
      timeoutMs: 600_000,
    })
    const r = JSON.parse(out.trim().split('\n').at(-1)!) as ScaleResult
    process.stderr.write(`  ${fmt(n)} tasks: generated in ${fmt(r.genMs)} ms, RSS ${fmtBytes(r.rssAfter)}\n`)
    results.push(r)
  }
  const small = results[0]!
  const largest = results.at(-1)!
  const names = small.queries.map((q) => q.name)
  const rows = names.map((name, qi) => {
    const cells: (string | number)[] = [name]
    for (const r of results) {
      const q = r.queries[qi]!
      cells.push(`${fmt(q.medianMs * 1000)} / ${fmt(q.p99Ms * 1000)}`)
    }
    const k = small.queries[qi]!
    const m = largest.queries[qi]!
    cells.push(fmtRatio(ratio(m.medianMs, k.medianMs)), fmtRatio(ratio(m.p99Ms, k.p99Ms)))
    cells.push(results.map((r) => fmt(r.queries[qi]!.total)).join(' / '))
    return cells
  })
  const targets: Target[] = names.map((name, qi) => {
    const r = ratio(largest.queries[qi]!.medianMs, small.queries[qi]!.medianMs)
    return {
      benchmark: 'scale',
      target: `query "${name}": median at 1M within 2× of 1k`,
      measured: `${fmtRatio(r)} (${fmtMs(small.queries[qi]!.medianMs)} → ${fmtMs(largest.queries[qi]!.medianMs)})`,
      ok: r <= 2,
      ...(r > 2 ? { missedBy: `${fmt(r / 2)}× over the 2× bound` } : {}),
    }
  })
  targets.push({
    benchmark: 'scale',
    target: 'RSS with 1M tasks < 400 MB (fresh process)',
    measured: `${fmtBytes(largest.rssAfter)} (generation ${fmt(largest.genMs)} ms)`,
    ok: largest.rssAfter < RSS_LIMIT,
    ...(largest.rssAfter < RSS_LIMIT ? {} : { missedBy: `${fmtBytes(largest.rssAfter - RSS_LIMIT)} over` }),
  })
  const body = [
    'In process: `createMockApp({ tasks, now, logLevel: "silent" })`, then `await (await app.fetch(new Request(...))).text()` per iteration (valid signed headers, so signing, validation, filtering, paging and JSON serialisation are all included). Each size runs in a fresh `node --expose-gc` child; per query 50 warm-up calls, then up to ' +
      `${iterations} timed calls or ${budget} ms, whichever comes first. Page size 15.`,
    '',
    'Latency in µs, `median / p99`:',
    '',
    markdownTable(
      ['query', ...SCALE_SIZES.map((n) => `${fmt(n)} tasks`), '1M/1k median', '1M/1k p99', 'matches (total)'],
      rows,
    ),
    '',
    'Generation and memory (fresh process each; RSS after generation + first query, after `gc()`):',
    '',
    markdownTable(
      ['tasks', 'createMockApp ms', 'first query ms', 'RSS before', 'RSS after', 'heapUsed after'],
      results.map((r) => [
        fmt(r.tasks),
        r.genMs,
        r.firstQueryMs,
        fmtBytes(r.baseRss),
        fmtBytes(r.rssAfter),
        fmtBytes(r.heapAfter),
      ]),
    ),
    '',
    `Query bodies: ${small.queries.map((q) => `\`${q.body}\``).join(', ')} (the last page is computed per size).`,
  ].join('\n')
  return { id: 'scale', title: '2. Dataset scale', body, targets, command: 'pnpm bench -- scale' }
}
