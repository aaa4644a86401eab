import cluster, { type Worker } from 'node:cluster'
import type { Logger } from './log.js'
import type { MockOptions } from './options.js'

/** What a worker tells the primary once it listens (or why it could not). */
export type WorkerMessage = { event: 'listening'; url: string } | { event: 'failed'; message: string }

/**
 * `--workers n`: n processes (node:cluster) serving one port, each a replica of the shared store
 * with its own name. The primary only forks, prints the URL once every worker listens, restarts a
 * worker that dies, and stops them all on SIGINT/SIGTERM.
 */
export async function runPrimary(options: MockOptions, logger: Logger): Promise<void> {
  const workers = new Set<Worker>()
  let stopping = false
  const fork = () => {
    const worker = cluster.fork()
    workers.add(worker)
    worker.on('exit', (code, signal) => {
      workers.delete(worker)
      if (stopping) {
        if (workers.size === 0) process.exit(0)
        return
      }
      logger.log(
        'warn',
        'worker',
        `laaffic-mock: worker ${worker.process.pid} exited (${signal ?? code}); starting another`,
      )
      fork()
    })
    return worker
  }
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    logger.log('info', 'shutdown', `laaffic-mock: ${signal}, stopping ${workers.size} workers`, { signal })
    if (workers.size === 0) process.exit(0)
    for (const w of workers) w.process.kill('SIGTERM')
    setTimeout(() => {
      for (const w of workers) w.process.kill('SIGKILL')
      process.exit(1)
    }, 5000).unref()
  }
  process.on('SIGINT', () => stop('SIGINT'))
  process.on('SIGTERM', () => stop('SIGTERM'))

  const first = Array.from({ length: options.workers }, () => fork())
  const urls = await Promise.all(
    first.map(
      (worker) =>
        new Promise<string>((resolve, reject) => {
          worker.on('message', (m: WorkerMessage) => {
            if (m.event === 'listening') resolve(m.url)
            else reject(new Error(m.message))
          })
          worker.once('exit', () => reject(new Error('a worker exited before it listened')))
        }),
    ),
  ).catch((err: unknown) => {
    stopping = true
    for (const w of workers) w.process.kill('SIGTERM')
    process.stderr.write(`laaffic-mock: ${err instanceof Error ? err.message : String(err)}\n`)
    process.exit(1)
  })
  const url = urls[0] as string
  const pids = first.map((w) => w.process.pid)
  if (options.logFormat === 'json') {
    process.stdout.write(`${JSON.stringify({ event: 'listening', url, workers: options.workers, pids })}\n`)
  } else {
    process.stdout.write(`laaffic-mock listening on ${url}\n`)
    if (options.logLevel !== 'error' && options.logLevel !== 'silent') {
      process.stdout.write(
        `  workers      ${options.workers} processes (pids ${pids.join(', ')}) sharing ${options.stateStore}\n`,
      )
    }
  }
}
