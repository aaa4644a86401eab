import { CANCEL_PREVIEW_TASK } from '@laaffic-kit/protocol'
import type { components } from '@laaffic-kit/spec'
import { type Operation, ok } from '../operation.js'
import { loadSpecValidator, schemaValidator } from '../schema-validation.js'
import { taskInState } from './task-rules.js'

type Request = components['schemas']['CancelPreviewTaskRequest']

/**
 * POST /v3/cc/preview/agent/cancelTask: status 14 from now on, counters frozen where they are.
 * -41 when its status is not in `--cancel-statuses` (default: until it has finished).
 */
export const cancelPreviewTask: Operation<Request> = {
  def: CANCEL_PREVIEW_TASK,
  validate: schemaValidator<Request>('CancelPreviewTaskRequest'),
  prepare: loadSpecValidator,
  handle(request, { world, options, now }) {
    const found = taskInState(world, options, request.taskId, now, 'cancel')
    if ('failure' in found) return found.failure
    world.agentTasks.cancel(found.ref, now)
    return ok(null)
  },
}
