#!/usr/bin/env node
console.error('laaffic-mock: the mock server is not built yet')
process.exit(1)
