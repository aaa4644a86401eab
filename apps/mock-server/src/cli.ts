import cluster from 'node:cluster'
import { hostname } from 'node:os'
import { computeSign, ENDPOINT_PATH, HEADER, SIGNING_TEST_VECTOR } from '@laaffic-kit/protocol'
import { helpText, parseCliArgs } from './cli-args.js'
import { usageError, version } from './cli-common.js'
import { createLogger } from './log.js'
import { OPERATION_MODULES } from './operations/registry.js'
import { formatUtcOffset, maskSecret, OptionError } from './options.js'
import { serveMock } from './serve.js'
import { StoreMismatch, StoreUnavailable } from './store/store.js'

async function main(): Promise<void> {
  // `laaffic-mock proxy …` is its own command (a leading `--` from `pnpm start --` is skipped).
  const argv = process.argv.slice(2)
  const first = argv[0] === '--' ? 1 : 0
  if (argv[first] === 'proxy') {
    const { runProxyCli } = await import('./proxy/cli.js')
    return runProxyCli(argv.slice(first + 1), process.env)
  }
  if (argv[first] === 'import') {
    const { runImportCli } = await import('./import/cli.js')
    return runImportCli(argv.slice(first + 1))
  }
  let parsed: ReturnType<typeof parseCliArgs>
  try {
    parsed = parseCliArgs(process.argv.slice(2), process.env)
  } catch (err) {
    if (err instanceof OptionError) usageError(err.message)
    throw err
  }
  if (parsed.help) {
    process.stdout.write(
      `${helpText()}\nAlso: laaffic-mock proxy --upstream <url> [--record <file.har>] (see laaffic-mock proxy --help)\n      laaffic-mock import <file.har> --out <fixtures.json> (see laaffic-mock import --help)\n`,
    )
    return
  }
  if (parsed.version) {
    process.stdout.write(`${version()}\n`)
    return
  }
  let options = parsed.options
  if (options.workers > 1 && options.stateStore === 'memory') {
    usageError(
      `--workers ${options.workers} needs --store redis://host:port (workers in memory would each hold their own state)`,
    )
  }
  if (options.workers > 1 && cluster.isPrimary) {
    const { runPrimary } = await import('./cli-workers.js')
    return runPrimary(options, createLogger(options))
  }
  const worker = cluster.isWorker ? cluster.worker : undefined
  if (worker) {
    // Each worker is a replica of its own name; the primary prints the banner.
    options = { ...options, replica: `${options.replica ?? `${hostname()}-${process.pid}`}-w${worker.id}` }
  }
  const started = performance.now()
  let running: Awaited<ReturnType<typeof serveMock>>
  try {
    running = await serveMock(options)
  } catch (err) {
    if (worker) {
      process.send?.({ event: 'failed', message: err instanceof Error ? err.message : String(err) })
      process.exit(1)
    }
    if (err instanceof OptionError || err instanceof StoreMismatch) usageError(err.message)
    if (err instanceof StoreUnavailable) {
      process.stderr.write(`laaffic-mock: ${err.message}\n`)
      process.exit(1)
    }
    const e = err as NodeJS.ErrnoException
    if (
      e.code === 'EADDRINUSE' ||
      e.code === 'EACCES' ||
      e.code === 'EADDRNOTAVAIL' ||
      e.code === 'ENOTFOUND'
    ) {
      usageError(`cannot listen on ${options.host}:${options.port} (${e.code})`)
    }
    throw err
  }
  const logger = createLogger(options)
  const now = running.state.clock.now()
  // A Sign is as good as the secret for the Timestamp window, and this line lands in logs. It is
  // printed ready to paste only for the vendor's public example account (the default); with a
  // real secret the command shows where the Sign goes instead.
  const publicAccount = options.apiSecret === SIGNING_TEST_VECTOR.apiSecret
  const sign = publicAccount
    ? computeSign(options.apiKey, options.apiSecret, now)
    : '<md5(Api-Key + apiSecret + Timestamp)>'
  const body = JSON.stringify({
    current: 1,
    size: 15,
    params: { startTime: '2025-01-10', endTime: '2025-02-10' },
  })
  const curl =
    `curl -s -X POST '${running.url}${ENDPOINT_PATH}' -H 'Content-Type: application/json' ` +
    `-H '${HEADER.apiKey}: ${options.apiKey}' -H '${HEADER.timestamp}: ${now}' -H '${HEADER.sign}: ${sign}' -d '${body}'`
  const info = {
    url: running.url,
    apiKey: options.apiKey,
    apiSecret: maskSecret(options.apiSecret),
    tasks: running.state.store.size,
    clock: options.now === undefined ? 'real' : `frozen at ${options.now}`,
    utcOffset: formatUtcOffset(options.utcOffset),
    startupMs: Math.round(performance.now() - started),
  }
  // Handlers go in before the URL is printed: a parent may signal as soon as it reads the line,
  // and until a listener exists Node leaves SIGINT/SIGTERM to the OS, which kills at once.
  let stopping = false
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    logger.log('info', 'shutdown', `laaffic-mock: ${signal}, closing`, { signal })
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  }
  process.on('SIGINT', () => stop('SIGINT'))
  process.on('SIGTERM', () => stop('SIGTERM'))
  if (worker) {
    // A worker whose primary is gone (killed outright) stops too: no orphan keeps the port.
    process.on('disconnect', () => stop('primary gone'))
    process.send?.({ event: 'listening', url: running.url })
    return
  }
  // The first stdout line carries the URL in both formats: parent processes parse it for the port.
  if (options.logFormat === 'json') {
    process.stdout.write(`${JSON.stringify({ event: 'listening', ...info, curl })}\n`)
  } else {
    process.stdout.write(`laaffic-mock listening on ${running.url}\n`)
    if (options.logLevel !== 'error' && options.logLevel !== 'silent') {
      process.stdout.write(
        [
          `  credentials  Api-Key ${options.apiKey}, secret ${info.apiSecret}`,
          `  dataset      ${info.tasks} tasks (${options.data ? `from ${options.data}` : `seed ${options.seed}`}), createTime in UTC${info.utcOffset}`,
          `  clock        ${info.clock}; Timestamp window ${options.timestampWindow}s`,
          ...(running.state.shared.replica !== undefined
            ? [
                `  store        ${options.stateStore}, shared by every replica; this one is ${running.state.shared.replica}`,
              ]
            : []),
          ...(options.replay
            ? [
                `  replay       ${options.replay}; requests it does not hold: ${options.replayMiss === 'mock' ? 'the mock answers' : '-24 or HTTP 404'}`,
              ]
            : []),
          `  endpoints    ${OPERATION_MODULES.length} under /v3/cc (seatGroup, seat, preview); accounts: POST ${running.url}/__admin/accounts`,
          `  docs         ${running.url}/docs   admin ${running.url}/__admin/config`,
          publicAccount
            ? `  try (Sign valid for ${options.timestampWindow}s around this Timestamp):`
            : '  try (compute the Sign for your secret; it is not printed):',
          `  ${curl}`,
          '',
        ].join('\n'),
      )
    }
  }
}

main().catch((err: unknown) => {
  // Unexpected: still one line, no stack, so secrets in option values cannot leak through a trace.
  process.stderr.write(`laaffic-mock: ${err instanceof Error ? err.message : String(err)}\n`)
  process.exit(1)
})
