import { existsSync } from 'node:fs'
import { chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { silentLogger } from '../src/log.js'
import { type RunningMock, serveMock } from '../src/serve.js'

const CHROMIUM = '/usr/bin/chromium'

describe.skipIf(!existsSync(CHROMIUM))(
  '/docs in headless Chromium (skipped: /usr/bin/chromium not installed)',
  () => {
    let mock: RunningMock
    beforeAll(async () => {
      mock = await serveMock({ port: 0, host: '127.0.0.1', tasks: 10, logger: silentLogger })
    })
    afterAll(async () => {
      await mock?.close()
    })

    it('renders the endpoint offline: every request stays on 127.0.0.1', async () => {
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
        ],
      })
      try {
        const page = await browser.newPage()
        const external: string[] = []
        await page.route('**/*', (route) => {
          const url = new URL(route.request().url())
          if (url.hostname === '127.0.0.1' || url.protocol === 'data:' || url.protocol === 'blob:')
            return route.continue()
          external.push(route.request().url())
          return route.abort()
        })
        await page.goto(`${mock.url}/docs`)
        await page.getByText('/v3/cc/preview/query').first().waitFor({ timeout: 20_000 })
        const text = await page.textContent('body')
        expect(text).toContain('Query agent tasks')
        expect(text).toContain('/v3/cc/seatGroup/query')
        expect(text).toContain('/v3/cc/seat/batchingSeat')
        expect(external).toEqual([])
      } finally {
        await browser.close()
      }
    }, 60_000)
  },
)
