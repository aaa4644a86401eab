import type { Operation } from './operation.js'
import { uploadPreviewFile } from './preview-files/upload.js'
import { queryPreviewTasks } from './preview-query.js'
import { cancelPreviewTask } from './preview-tasks/cancel.js'
import { editPreviewTask } from './preview-tasks/edit.js'
import { resendPreviewTask } from './preview-tasks/resend.js'
import { submitPreviewTask } from './preview-tasks/submit.js'
import { addSeatGroup } from './seat-groups/add.js'
import { deleteSeatGroup } from './seat-groups/delete.js'
import { querySeatGroups } from './seat-groups/query.js'
import { updateSeatGroup } from './seat-groups/update.js'
import { addSeats } from './seats/add-list.js'
import { batchSeats } from './seats/batch.js'
import { querySeats } from './seats/query.js'
import { updateSeat } from './seats/update.js'

/** Every vendor endpoint the mock serves, one module each; the pipeline routes them all. */
export const OPERATION_MODULES: readonly Operation<unknown>[] = [
  queryPreviewTasks,
  querySeatGroups,
  addSeatGroup,
  updateSeatGroup,
  deleteSeatGroup,
  querySeats,
  addSeats,
  updateSeat,
  batchSeats,
  uploadPreviewFile,
  submitPreviewTask,
  editPreviewTask,
  cancelPreviewTask,
  resendPreviewTask,
]
