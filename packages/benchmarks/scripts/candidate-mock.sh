#!/bin/sh
# Builds a *candidate* copy of the mock with the two fixes BENCHMARKS.md proposes, for A/B runs:
#   reports/mock-candidate/dist/cli.js  (reports/ is git-ignored; apps/mock-server is not touched)
#   1. readBody (app.ts): call c.req.text() when Content-Length is present *before* touching
#      c.req.raw.body, which makes @hono/node-server build a full undici Request per request.
#   2. fixtures.ts / docs.ts: stop importing @laaffic-kit/spec (Ajv + yaml) at startup; the
#      copy stubs them out, which is what a lazy `await import()` would save.
# Usage: sh scripts/candidate-mock.sh && BENCH_CANDIDATE_CLI=reports/mock-candidate/dist/cli.js pnpm bench
set -e
cd "$(dirname "$0")/.."
out=reports/mock-candidate
rm -rf "$out"
mkdir -p "$out"
cp -r ../../apps/mock-server/dist ../../apps/mock-server/package.json "$out/"
ln -s ../../../../apps/mock-server/node_modules "$out/node_modules"
node - "$out" <<'JS'
const { readFileSync, writeFileSync } = require('node:fs')
const dir = process.argv[2]
function patch(file, from, to) {
  const path = `${dir}/dist/${file}`
  const text = readFileSync(path, 'utf8')
  if (!text.includes(from)) throw new Error(`${file}: pattern not found, the mock changed; update scripts/candidate-mock.sh`)
  writeFileSync(path, text.replace(from, to))
}
patch(
  'app.js',
  `    const stream = c.req.raw.body;
    if (!stream)
        return { text: undefined, tooLarge: false };
    if (declared !== undefined)
        return { text: await c.req.text(), tooLarge: false };`,
  `    if (declared !== undefined)
        return { text: await c.req.text(), tooLarge: false };
    const stream = c.req.raw.body;
    if (!stream)
        return { text: undefined, tooLarge: false };`,
)
patch(
  'fixtures.js',
  `import { createSpecValidator } from '@laaffic-kit/spec';`,
  `const createSpecValidator = () => { throw new Error('candidate build: fixture validation stubbed out'); };`,
)
patch(
  'docs.js',
  `import { readSpecText } from '@laaffic-kit/spec';`,
  `const readSpecText = () => readFileSync(new URL('../../../../../spec/openapi.yaml', import.meta.url), 'utf8');`,
)
JS
echo "candidate: $out/dist/cli.js"
