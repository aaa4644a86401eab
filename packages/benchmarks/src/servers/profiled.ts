/**
 * Runs another Node entry point (argv[2]) with two additions for diagnosis:
 * - SIGTERM/SIGINT end it with process.exit(0): `node --cpu-prof` writes its profile only on a
 *   normal exit, never when a signal kills it;
 * - SIGUSR2 prints `MEMORY {json}` on stderr: process.memoryUsage() right after a full gc()
 *   when the process runs with --expose-gc (what is really retained, as opposed to RSS).
 */
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

const target = process.argv[2]
if (!target) {
  console.error('usage: profiled.js <script.js> [args...]')
  process.exit(2)
}
process.argv.splice(1, 2, resolve(target))
const exit = (): void => process.exit(0)
process.on('SIGTERM', exit)
process.on('SIGINT', exit)
process.on('SIGUSR2', () => {
  const gc = (globalThis as { gc?: () => void }).gc
  gc?.()
  process.stderr.write(`MEMORY ${JSON.stringify({ gc: gc !== undefined, ...process.memoryUsage() })}\n`)
})
await import(pathToFileURL(resolve(target)).href)
