import { usageError, version } from '../cli-common.js'
import { OptionError } from '../options.js'
import { parseProxyArgs, proxyHelpText } from './options.js'
import { startProxy } from './server.js'

/** `laaffic-mock proxy …`: argv is what follows the word `proxy`. */
export async function runProxyCli(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  let parsed: ReturnType<typeof parseProxyArgs>
  try {
    parsed = parseProxyArgs(argv, env)
  } catch (err) {
    if (err instanceof OptionError) usageError(err.message)
    throw err
  }
  if (parsed.help || !parsed.options) {
    process.stdout.write(`${proxyHelpText()}\n`)
    return
  }
  const options = parsed.options
  let running: Awaited<ReturnType<typeof startProxy>>
  try {
    running = await startProxy(options, { version: version() })
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    if (
      e.code === 'EADDRINUSE' ||
      e.code === 'EACCES' ||
      e.code === 'EADDRNOTAVAIL' ||
      e.code === 'ENOTFOUND'
    ) {
      usageError(`proxy: cannot listen on ${options.host}:${options.port} (${e.code})`)
    }
    if (options.record && e.code) usageError(`proxy: cannot write --record ${options.record} (${e.code})`)
    throw err
  }
  // Handlers before the URL line: a parent may signal as soon as it reads it (CONTRIBUTING).
  let stopping = false
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    running.close().then(
      () => {
        const failed = running.recorder?.error
        process.stderr.write(
          `laaffic-mock proxy: ${signal}, report ${JSON.stringify(running.report())}${failed ? `; recording failed (${(failed as NodeJS.ErrnoException).code ?? 'error'})` : ''}\n`,
        )
        process.exit(failed ? 1 : 0)
      },
      () => process.exit(1),
    )
  }
  process.on('SIGINT', () => stop('SIGINT'))
  process.on('SIGTERM', () => stop('SIGTERM'))
  process.stdout.write(`laaffic-mock proxy listening on ${running.url}\n`)
  process.stdout.write(
    `  upstream     ${options.upstream} (re-signed with ${'LAAFFIC_API_KEY'}; secret not shown)\n` +
      `  callers      sign with Api-Key ${options.apiKey}\n` +
      `  recording    ${options.record ?? 'off'}; report at ${running.url}/__proxy/report\n`,
  )
}
