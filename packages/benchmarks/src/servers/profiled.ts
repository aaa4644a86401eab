/**
 * Runs another Node entry point (argv[2]) so that SIGTERM ends it with process.exit(0):
 * `node --cpu-prof` writes its profile only on a normal exit, never when a signal kills it.
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
await import(pathToFileURL(resolve(target)).href)
