import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { Hono, type MiddlewareHandler } from 'hono'

const require = createRequire(import.meta.url)

export const SCALAR_ASSET_PATH = '/__assets/scalar/standalone.js'

let bundle: Buffer | undefined
let specText: string | undefined

/** The browser bundle shipped in @scalar/api-reference, so /docs works offline. */
function scalarBundle(): Buffer {
  bundle ??= readFileSync(require.resolve('@scalar/api-reference/browser/standalone.js'))
  return bundle
}

let scalar: Promise<MiddlewareHandler> | undefined

/**
 * GET /openapi.yaml, GET /docs and the docs' script, with no CDN involved. The spec file and
 * the Scalar middleware load on first request: startup pays for neither.
 */
export function docsRoutes(): Hono {
  const app = new Hono()
  app.get('/openapi.yaml', (c) => {
    specText ??= readFileSync(require.resolve('@laaffic-kit/spec/openapi.yaml'), 'utf8')
    return c.body(specText, 200, { 'Content-Type': 'application/yaml; charset=utf-8' })
  })
  app.get(SCALAR_ASSET_PATH, (c) =>
    c.body(new Uint8Array(scalarBundle()), 200, {
      'Content-Type': 'text/javascript; charset=utf-8',
      'Cache-Control': 'public, max-age=3600',
    }),
  )
  app.get('/docs', async (c, next) => {
    scalar ??= import('@scalar/hono-api-reference').then(({ Scalar }) =>
      Scalar({
        url: '/openapi.yaml',
        cdn: SCALAR_ASSET_PATH,
        pageTitle: 'LAAFFIC mock — API reference',
        // Fonts and the hosted proxy would leave the machine; the docs must work offline.
        withDefaultFonts: false,
        hideClientButton: true,
        // The agent chat loads a registry through proxy.scalar.com on page load.
        agent: { disabled: true },
      }),
    )
    return (await scalar)(c, next)
  })
  return app
}
