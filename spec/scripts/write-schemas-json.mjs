// Build step: the component schemas of openapi.yaml as JSON (dist/schemas.json), stamped with
// the YAML's sha1, so a validator can start without parsing YAML (see loadSpecSchemas in
// src/index.ts). The YAML stays the only source: a stale or missing file is ignored there.
import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { parse } from 'yaml'

const text = readFileSync(new URL('../openapi.yaml', import.meta.url), 'utf8')
const schemas = parse(text)?.components?.schemas
if (!schemas) throw new Error('openapi.yaml has no components.schemas')
const source = createHash('sha1').update(text).digest('hex')
writeFileSync(new URL('../dist/schemas.json', import.meta.url), `${JSON.stringify({ source, schemas })}\n`)
