/**
 * SheetJS (`@e965/xlsx`: the SheetJS Community Edition 0.20.3 build, republished on the npm
 * registry with the fixes for CVE-2023-30533 and CVE-2024-22363 that the registry's own `xlsx`
 * 0.18.5 lacks), loaded on first use: it is ~1 MB of JavaScript plus codepage tables, costing
 * the mock's startup several hundred ms that only an upload needs. Node >= 20.19 and Bun load it
 * synchronously through `require` (reached without a static `node:` import, as the spec
 * validator is); other runtimes await loadSheetJs() first.
 */
type SheetJs = typeof import('@e965/xlsx')

let sheetjs: SheetJs | undefined
let loading: Promise<SheetJs> | undefined

/**
 * Loads SheetJS ahead of a synchronous read (idempotent). Where `require` is reachable it is
 * used here too, so every runtime that has it reads with the same (CommonJS) build.
 */
export function loadSheetJs(): Promise<SheetJs> {
  if (sheetjs) return Promise.resolve(sheetjs)
  if (typeof globalThis.process?.getBuiltinModule === 'function') return Promise.resolve(sheetJs())
  loading ??= import('@e965/xlsx').then((m) => {
    sheetjs ??= ((m as { default?: SheetJs }).default ?? m) as SheetJs
    return sheetjs
  })
  return loading
}

export function sheetJs(): SheetJs {
  if (sheetjs) return sheetjs
  const mod = globalThis.process?.getBuiltinModule?.('node:module')
  if (!mod) throw new Error('await loadSheetJs() before reading number files on this runtime')
  // The CommonJS build also loads the codepage tables that BIFF5 (.xls before Excel 97) needs.
  sheetjs = mod.createRequire(import.meta.url)('@e965/xlsx') as SheetJs
  return sheetjs
}
