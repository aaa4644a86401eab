/**
 * 3. Startup: from spawn of `node apps/mock-server/dist/cli.js --port 0` (default dataset, real
 * clock) to the first HTTP 2xx answer with in-band status 0. Prism measured the same way.
 */

import { resolve } from 'node:path'
import { ENDPOINT_PATH, QUERY_BODY, signedHeaders } from './fixtures.js'
import { waitForSuccess } from './http.js'
import { MOCK_CLI, MOCK_DIR } from './paths.js'
import { runNode, spawnServer } from './processes.js'
import type { Section, Target } from './report.js'
import { prismArgs } from './servers.js'
import { median, summarize } from './stats.js'
import { fmt, fmtMs, markdownTable } from './table.js'

interface Sample {
  urlMs: number
  firstOkMs: number
}

async function once(args: string[]): Promise<Sample> {
  const t0 = performance.now()
  const server = await spawnServer(process.execPath, args, { timeoutMs: 60_000 })
  try {
    const urlMs = performance.now() - t0
    // Signed with the real clock at each attempt: the mock runs unfrozen here.
    await waitForSuccess(
      server.url + ENDPOINT_PATH,
      () => signedHeaders(Math.floor(Date.now() / 1000)),
      QUERY_BODY,
      60_000,
      1,
    )
    return { urlMs, firstOkMs: performance.now() - t0 }
  } finally {
    await server.stop()
  }
}

export async function startup(
  runs = Number(process.env.BENCH_STARTUP_RUNS ?? 10),
  prismRuns = Number(process.env.BENCH_STARTUP_PRISM_RUNS ?? 3),
): Promise<Section> {
  const mockArgs = [MOCK_CLI, '--port', '0']
  const candidateCli = process.env.BENCH_CANDIDATE_CLI ? resolve(process.env.BENCH_CANDIDATE_CLI) : undefined
  const candidate: Sample[] = []
  const mock: Sample[] = []
  const prism: Sample[] = []
  // Alternate while both have runs left, so machine drift hits both alike.
  for (let i = 0; i < Math.max(runs, prismRuns); i++) {
    if (i < runs) mock.push(await once(mockArgs))
    if (i < runs && candidateCli) candidate.push(await once([candidateCli, '--port', '0']))
    if (i < prismRuns) prism.push(await once(prismArgs('default')))
    process.stderr.write(
      `  startup run ${i + 1}: mock ${fmtMs(mock.at(-1)!.firstOkMs)}${i < prismRuns ? `, prism ${fmtMs(prism.at(-1)!.firstOkMs)}` : ''}\n`,
    )
  }
  const m = summarize(mock.map((s) => s.firstOkMs))
  const p = summarize(prism.map((s) => s.firstOkMs))
  const row = (name: string, cmd: string, samples: Sample[], s: typeof m) => [
    name,
    cmd,
    samples.length,
    fmt(median(samples.map((x) => x.urlMs))),
    fmt(s.median),
    fmt(s.min),
    fmt(s.max),
  ]
  const ok = m.median < 300
  const targets: Target[] = [
    {
      benchmark: 'startup',
      target: 'mock: spawn → first successful response < 300 ms (default dataset)',
      measured: `median ${fmtMs(m.median)} (max ${fmtMs(m.max)}); Prism ${fmtMs(p.median)}`,
      ok,
      ...(ok ? {} : { missedBy: `${fmtMs(m.median - 300)} over` }),
    },
  ]
  const lines = [
    `Wall time from \`spawn()\` of the server process to the first answer that is HTTP 2xx with in-band status 0 (polled every 1 ms once the URL is printed; requests signed with the real clock). Node ${process.version}.`,
    '',
    markdownTable(
      ['server', 'command', 'runs', 'URL printed (median ms)', 'first OK (median ms)', 'min ms', 'max ms'],
      [
        row('mock', '`node apps/mock-server/dist/cli.js --port 0`', mock, m),
        ...(candidate.length > 0
          ? [
              row(
                'mock candidate',
                `\`${process.env.BENCH_CANDIDATE_CLI} --port 0\` (BENCH_CANDIDATE_CLI)`,
                candidate,
                summarize(candidate.map((s) => s.firstOkMs)),
              ),
            ]
          : []),
        row('prism', '`prism mock spec/openapi.yaml --host 127.0.0.1 --port 0`', prism, p),
      ],
    ),
    '',
    `Mock vs Prism: ${fmt(p.median / m.median)}× faster to first answer.`,
  ]
  if (!ok || process.env.BENCH_PROFILE === '1') {
    const costs = await importCosts()
    lines.push(
      '',
      'Where the time goes (each line a fresh process from `apps/mock-server`, median of 3; imports overlap, `./dist/index.js` includes the others):',
      '',
      markdownTable(
        ['step', 'ms'],
        costs.map((c) => [c.name, c.ms]),
      ),
    )
  }
  const body = lines.join('\n')
  return { id: 'startup', title: '3. Startup', body, targets, command: 'pnpm bench -- startup' }
}

/** Modules the mock's CLI loads, timed one by one (import() in a fresh process, from the mock's directory). */
export const STARTUP_MODULES = [
  'hono',
  '@hono/node-server',
  '@laaffic-kit/protocol',
  '@laaffic-kit/spec',
  '@scalar/hono-api-reference',
  './dist/app.js',
  './dist/index.js',
] as const

/**
 * Where the startup time goes: the wall time of a bare `node -e 0`, and the import() time of
 * each module in a fresh process (median of `runs`). Imports overlap (index.js includes the rest).
 */
export async function importCosts(runs = 3): Promise<{ name: string; ms: number }[]> {
  const out: { name: string; ms: number }[] = []
  const boot: number[] = []
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now()
    await runNode(['-e', '0'])
    boot.push(performance.now() - t0)
  }
  out.push({ name: '`node -e 0` (process boot, wall)', ms: median(boot) })
  for (const m of STARTUP_MODULES) {
    const samples: number[] = []
    for (let i = 0; i < runs; i++) {
      const stdout = await runNode(
        [
          '--input-type=module',
          '-e',
          `const t = performance.now(); await import(${JSON.stringify(m)}); console.log(performance.now() - t)`,
        ],
        { cwd: MOCK_DIR },
      )
      samples.push(Number(stdout.trim()))
    }
    out.push({ name: `import('${m}')`, ms: median(samples) })
  }
  return out
}
