/** The constant page the ceiling servers answer with: 15 records, as the throughput benchmark asks. */
const record = (i: number) => ({
  taskId: 5000000 + i,
  voiceGroupId: [101],
  seatGroupName: 'Group A',
  createTime: '2025-01-20 10:00:00',
  remainCount: 0,
  totalCount: 1,
  remark: null,
  ccode: '86',
  codeName: 'China',
  taskStatus: 12,
  taskType: 0,
  finishFlag: 1,
  completedRate: 100,
  groupTaskId: 9000000 + i,
  transfersNum: 0,
  callFailuresNum: 0,
  callingNumber: null,
  displayNum: null,
  numberTotalCount: '1',
  callFinishCount: 1,
  numberSameCount: '0',
  appId: '1000009',
  calloutRate: 1,
  fileName: 'numbers.xlsx',
  filePath: '/mnt/cc/upload/numbers.xlsx',
})

export const PAGE = {
  status: 0,
  reason: 'success',
  data: {
    total: 1000,
    size: 15,
    current: 1,
    pages: 67,
    searchCount: true,
    records: Array.from({ length: 15 }, (_, i) => record(i)),
  },
}

export const PAGE_JSON = JSON.stringify(PAGE)
