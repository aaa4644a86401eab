// Bundles the built client the way a browser app would (minified ESM with openapi-fetch,
// @laaffic-kit/protocol and md5 inlined), gzips it and fails over the budget. Two consumers:
// - full: everything the main entry exports (every resource, `raw`, openapi-fetch);
// - one resource: the `./core` entry plus one resource entry, for each resource, and the same
//   through the main entry (tree-shaking must drop the other resources, their status tables and
//   openapi-fetch). The budget applies to the largest of these.
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'

// 8 KB (8,192 B) before the seat-group and seat resources, 10,496 B / 7,424 B before the upload,
// 11,072 B / 7,616 B before the agent-task writes and waitFor; README "Bundle size" says what
// each increase pays for.
const FULL_BUDGET_BYTES = 11_712
const ONE_RESOURCE_BUDGET_BYTES = 7_952

const dist = new URL('../dist/', import.meta.url).pathname
const resources = [
  ['seatGroups', 'SeatGroups', 'seat-groups'],
  ['seats', 'Seats', 'seats'],
  ['previewTasks', 'PreviewTasks', 'preview-tasks'],
  ['previewFiles', 'PreviewFiles', 'preview-files'],
]

async function measure(contents) {
  const result = await build({
    stdin: { contents, resolveDir: dist, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'warning',
  })
  const code = result.outputFiles[0].contents
  return { minified: code.length, gzipped: gzipSync(code, { level: 9 }).length }
}

const kb = (n) => `${(n / 1024).toFixed(2)} KB (${n} B)`
let failed = false
function report(label, { minified, gzipped }, budget) {
  console.log(
    `@laaffic-kit/client ${label}: ${kb(minified)} minified, ${kb(gzipped)} gzipped (budget ${kb(budget)})`,
  )
  if (gzipped > budget) {
    console.error(`size: ${label} over budget by ${gzipped - budget} bytes`)
    failed = true
  }
}

report('full client', await measure(`export * from './index.js'`), FULL_BUDGET_BYTES)
for (const [name, cls, file] of resources) {
  report(
    `one resource (${name}, ./core + ./${file})`,
    await measure(
      `export { createLaafficCore, LaafficApiError } from './core.js'; export { ${cls} } from './resources/${file}.js'`,
    ),
    ONE_RESOURCE_BUDGET_BYTES,
  )
  report(
    `one resource (${name}, main entry)`,
    await measure(`export { createLaafficCore, LaafficApiError, ${cls} } from './index.js'`),
    ONE_RESOURCE_BUDGET_BYTES,
  )
}
if (failed) process.exit(1)
