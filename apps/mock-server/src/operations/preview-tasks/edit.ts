import { EDIT_PREVIEW_TASK } from '@laaffic-kit/protocol'
import type { components } from '@laaffic-kit/spec'
import { fail, type Operation, ok } from '../operation.js'
import { loadSpecValidator, schemaValidator } from '../schema-validation.js'
import { dialRate, taskInState } from './task-rules.js'

type Request = components['schemas']['EditPreviewTaskRequest']

/** "Exceeds the number that can be created": the page's one own code, read as a calloutRate cap [I]. */
const OVER_LIMIT = -36

/**
 * POST /v3/cc/preview/agent/editTask: a new remark (kept when absent) and calloutRate. A task
 * calling keeps what it dialled and goes on at the new rate. -41 when its status is not in
 * `--edit-statuses` (default: until it has finished), -36 over `--callout-rate-max`.
 */
export const editPreviewTask: Operation<Request> = {
  def: EDIT_PREVIEW_TASK,
  validate: schemaValidator<Request>('EditPreviewTaskRequest'),
  prepare: loadSpecValidator,
  handle(request, { world, options, now }) {
    const found = taskInState(world, options, request.taskId, now, 'edit')
    if ('failure' in found) return found.failure
    if (request.calloutRate > options.calloutRateMax) {
      return fail(
        OVER_LIMIT,
        `calloutRate must be at most ${options.calloutRateMax} (got ${request.calloutRate})`,
      )
    }
    const { ref } = found
    const rate =
      ref.kind === 'runtime'
        ? dialRate(world, options, ref.task.type, ref.task.groups, request.calloutRate)
        : 0
    world.agentTasks.edit(ref, { remark: request.remark, calloutRate: request.calloutRate, rate }, now)
    return ok(null)
  },
}
