import { SUBMIT_PREVIEW_TASK } from '@laaffic-kit/protocol'
import type { components } from '@laaffic-kit/spec'
import { fail, type Operation, ok } from '../operation.js'
import { loadSpecValidator, schemaValidator } from '../schema-validation.js'
import { planTask } from './task-rules.js'

type Request = components['schemas']['SubmitPreviewTaskRequest']

/**
 * POST /v3/cc/preview/submitTask: a task over the unique numbers of a file preview/upload
 * stored (one file may be submitted more than once). It starts at 16 and runs on the mock
 * clock (state/tasks/). `data` is the new task id, or null with `--submit-task-data null`.
 */
export const submitPreviewTask: Operation<Request> = {
  def: SUBMIT_PREVIEW_TASK,
  validate: schemaValidator<Request>('SubmitPreviewTaskRequest'),
  prepare: loadSpecValidator,
  handle(request, { world, options, now }) {
    const file = world.files.get(request.filePath)
    if (!file) {
      return fail(
        options.missingIdStatus,
        'filePath was not returned by preview/upload for this account (or was dropped: an account keeps its newest 1,000,000 numbers)',
      )
    }
    if (file.uniqueCount === 0) return fail(-22, 'the file holds no numbers to dial')
    const planned = planTask(world, options, request)
    if ('failure' in planned) return planned.failure
    const { plan } = planned
    // Named fields, not `{ ...plan, fileName, … }`: on Node 20 a spread that adds properties
    // makes a new hidden class per object (CONTRIBUTING.md, "Object spread"), which left ~2.4 KB
    // of old-space garbage per submit (118 MiB per 50,000 in a sampling heap profile, 2 MiB after).
    const task = world.agentTasks.add(
      {
        type: plan.type,
        groups: plan.groups,
        seatGroupName: plan.seatGroupName,
        appId: plan.appId,
        calloutRate: plan.calloutRate,
        remark: plan.remark,
        ccode: plan.ccode,
        codeName: plan.codeName,
        displayNum: plan.displayNum,
        rate: plan.rate,
        fileName: request.fileName,
        filePath: file.filePath,
        numberTotalCount: file.totalCount,
        numberSameCount: file.sameCount,
        totalCount: file.uniqueCount,
        startDelay: options.taskStartSeconds,
      },
      now,
    )
    return ok(options.submitTaskData === 'id' ? task.taskId : null)
  },
}
