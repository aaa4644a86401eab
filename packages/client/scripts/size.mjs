// Bundles the built client the way a browser app would (minified ESM with openapi-fetch,
// @laaffic-kit/protocol and md5 inlined), gzips it and fails over the budget.
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'

const BUDGET_BYTES = 8 * 1024

const result = await build({
  entryPoints: [new URL('../dist/index.js', import.meta.url).pathname],
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  write: false,
  logLevel: 'warning',
})
const code = result.outputFiles[0].contents
const gzipped = gzipSync(code, { level: 9 }).length
const kb = (n) => `${(n / 1024).toFixed(2)} KB (${n} B)`
console.log(
  `@laaffic-kit/client browser bundle: ${kb(code.length)} minified, ${kb(gzipped)} gzipped (budget ${kb(BUDGET_BYTES)})`,
)
if (gzipped > BUDGET_BYTES) {
  console.error(`size: over budget by ${gzipped - BUDGET_BYTES} bytes`)
  process.exit(1)
}
