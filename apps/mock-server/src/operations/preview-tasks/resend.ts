import { RESEND_PREVIEW_TASK } from '@laaffic-kit/protocol'
import type { components } from '@laaffic-kit/spec'
import { fail, type Operation, ok } from '../operation.js'
import { loadSpecValidator, schemaValidator } from '../schema-validation.js'
import { NO_NUMBERS, planTask, taskInState } from './task-rules.js'

type Request = components['schemas']['ResendPreviewTaskRequest']

/**
 * POST /v3/cc/preview/resendTask: a new task over the source task's failed (1), not yet called
 * (2) or all (3) numbers, with the settings of the request. -41 when the source's status is not
 * in `--resend-statuses` (default: finished ones), -42 when there is no such number.
 */
export const resendPreviewTask: Operation<Request> = {
  def: RESEND_PREVIEW_TASK,
  validate: schemaValidator<Request>('ResendPreviewTaskRequest'),
  prepare: loadSpecValidator,
  handle(request, { world, options, now }) {
    const found = taskInState(world, options, request.taskId, now, 'resend')
    if ('failure' in found) return found.failure
    const book = world.agentTasks
    const count = book.resendCount(found.ref, request.resendType, now)
    if (count === 0) return fail(NO_NUMBERS, `the task has no numbers for resendType ${request.resendType}`)
    const planned = planTask(world, options, request)
    if ('failure' in planned) return planned.failure
    const source = book.recordOf(found.ref, now, options.utcOffset)
    const task = book.add(
      {
        ...planned.plan,
        fileName: source.fileName,
        filePath: source.filePath,
        numberTotalCount: count,
        numberSameCount: 0,
        totalCount: count,
        startDelay: options.taskStartSeconds,
      },
      now,
    )
    return ok(options.submitTaskData === 'id' ? task.taskId : null)
  },
}
