#!/bin/sh
# Copies the mock's built dist into reports/mock-candidate/ (git-ignored; apps/mock-server is not
# touched) so a proposed fix can be tried by editing the copy's dist/*.js, then measured side by
# side with the real mock:
#   sh scripts/candidate-mock.sh && $EDITOR reports/mock-candidate/dist/pipeline/run-operation.js
#   BENCH_CANDIDATE_CLI=reports/mock-candidate/dist/cli.js pnpm bench -- throughput startup soak
# The two fixes this script used to patch in (readBody reading text before touching the raw body,
# and the spec validator loaded on first use) are in the mock now. To compare with an earlier
# commit instead, build it in a worktree and use BENCH_BASELINE_CLI (see the README).
set -e
cd "$(dirname "$0")/.."
out=reports/mock-candidate
rm -rf "$out"
mkdir -p "$out"
cp -r ../../apps/mock-server/dist ../../apps/mock-server/package.json "$out/"
ln -s ../../../../apps/mock-server/node_modules "$out/node_modules"
echo "candidate: $out/dist/cli.js"
