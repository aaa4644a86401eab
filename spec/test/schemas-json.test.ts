import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { createSpecValidator, loadSpec, loadSpecSchemas, readSpecText } from '../src/index.js'

const yamlSchemas = loadSpec().components.schemas as Record<string, unknown>
const sha1 = createHash('sha1').update(readSpecText()).digest('hex')
const dir = mkdtempSync(join(tmpdir(), 'spec-schemas-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function builtFile(name: string, content: unknown): URL {
  const path = join(dir, name)
  writeFileSync(path, JSON.stringify(content))
  return pathToFileURL(path)
}

describe('dist/schemas.json: the component schemas without parsing YAML', () => {
  it('the build wrote it from the committed YAML (same sha1, same schemas)', () => {
    const built = JSON.parse(readFileSync(new URL('../dist/schemas.json', import.meta.url), 'utf8'))
    expect(built.source).toBe(sha1)
    expect(built.schemas).toEqual(yamlSchemas)
    expect(loadSpecSchemas(new URL('../dist/schemas.json', import.meta.url))).toEqual(yamlSchemas)
  })

  it('the built module looks for it where the build writes it', async () => {
    const built = (await import('../dist/index.js')) as typeof import('../src/index.js')
    expect(built.builtSchemasUrl.href).toBe(new URL('../dist/schemas.json', import.meta.url).href)
  })

  it('is used when its sha1 is the YAML’s', () => {
    const marked = { ...yamlSchemas, OnlyInTheJson: { type: 'string' } }
    expect(loadSpecSchemas(builtFile('fresh.json', { source: sha1, schemas: marked }))).toEqual(marked)
  })

  it('a stale, broken or missing file is ignored: the YAML is parsed', () => {
    const other = { Other: { type: 'string' } }
    expect(loadSpecSchemas(builtFile('stale.json', { source: '0'.repeat(40), schemas: other }))).toEqual(
      yamlSchemas,
    )
    const broken = join(dir, 'broken.json')
    writeFileSync(broken, '{"source":')
    expect(loadSpecSchemas(pathToFileURL(broken))).toEqual(yamlSchemas)
    expect(loadSpecSchemas(pathToFileURL(join(dir, 'missing.json')))).toEqual(yamlSchemas)
  })

  it('createSpecValidator() without a document validates as with the parsed one', () => {
    const fromDefault = createSpecValidator()
    const fromDoc = createSpecValidator(loadSpec())
    for (const value of [{}, { filePath: 'x', fileName: 'numbers.xls', type: 1 }, { type: 'zero' }]) {
      expect(fromDefault.errors('SubmitPreviewTaskRequest', value)).toEqual(
        fromDoc.errors('SubmitPreviewTaskRequest', value),
      )
    }
  })
})
