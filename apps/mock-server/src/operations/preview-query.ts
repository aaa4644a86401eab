import { QUERY_PREVIEW_TASKS } from '@laaffic-kit/protocol'
import type { TaskRecord } from '../dataset.js'
import { queryPage } from '../paging.js'
import { serializeEnvelope } from '../pipeline/envelope.js'
import { type ValidQuery, validateQuery } from '../validation.js'
import { type Operation, ok } from './operation.js'

/**
 * POST /v3/cc/preview/query. Validated by hand (readable reasons, and the hot path of every
 * benchmark) and answered from the task index in O(page); records are serialised from cached bytes.
 */
export const queryPreviewTasks: Operation<ValidQuery> = {
  def: QUERY_PREVIEW_TASKS,
  validate: (body, options, secrets) => {
    const v = validateQuery(body, options, secrets)
    return v.ok ? { ok: true, value: v.query } : v
  },
  handle(query, { world, options, now }) {
    const page = queryPage(world.agentTasks, query, options, now)
    if (options.completedRate === 'string') {
      page.records = page.records.map((r): TaskRecord => ({ ...r, completedRate: String(r.completedRate) }))
    }
    return ok(page)
  },
  serialize: serializeEnvelope as (envelope: unknown) => Uint8Array<ArrayBuffer>,
}
