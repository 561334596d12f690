// Every word the screens show, in one place, Chinese first (zh-CN). The
// labels of kinds, severities, states and categories are copied from
// backend/event/label.go and category.go: change them there first, then
// here. A component never writes a user-visible literal of its own.

import type { Kind, Severity, Status } from './types'

/** The Chinese names of kinds (backend/event/label.go kindLabels). */
export const KIND_LABELS: Record<Kind, string> = {
  grid_event: '网格事件',
  hotline: '12345热线',
  camera_alert: '雪亮告警',
  warning: '预警',
}

/** The Chinese names of severities (backend/event/label.go severityLabels). */
export const SEVERITY_LABELS: Record<Severity, string> = {
  low: '低',
  medium: '中',
  high: '高',
  critical: '紧急',
}

/** The Chinese names of lifecycle states (backend/event/label.go statusLabels). */
export const STATUS_LABELS: Record<Status, string> = {
  reported: '已上报',
  dispatched: '已派遣',
  accepted: '已接单',
  in_progress: '处置中',
  resolved: '已处置',
  closed: '已办结',
  rated: '已评价',
  escalated: '已吹哨',
  reopened: '已重办',
  merged: '已合并',
  acknowledged: '已确认',
}

/**
 * The Chinese labels of category codes (backend/event/category.go). A code
 * shared by several kinds has one label everywhere.
 */
export const CATEGORY_LABELS: Readonly<Record<string, string>> = {
  // grid_event
  dispute: '矛盾纠纷',
  public_safety: '治安隐患',
  environment: '环境卫生',
  city_management: '城市管理',
  safety_hazard: '安全隐患(消防/燃气)',
  livelihood: '民生服务',
  other: '其他',
  // hotline
  public_service: '公共服务',
  housing: '住房物业',
  labor: '劳动保障',
  traffic: '交通出行',
  consultation: '政策咨询',
  // camera_alert
  crowd: '人员聚集',
  intrusion: '区域入侵',
  fire_smoke: '烟火识别',
  illegal_parking: '违章停车',
  street_vending: '占道经营',
  fight: '打架斗殴',
  // warning
  fire: '火灾预警',
  gas: '燃气泄漏',
  water_level: '水位预警',
  air_quality: '空气质量',
  structure: '建筑安全',
  power: '电力故障',
}

/** The Chinese names of workflow actions, the system's changes included (docs/workflow.md). */
export const ACTION_LABELS: Readonly<Record<string, string>> = {
  dispatch: '派遣',
  accept: '接单',
  start: '到场处置',
  resolve: '处置完成',
  close: '结案',
  rate: '评价',
  reopen: '重办',
  comment: '备注',
  acknowledge: '确认',
  merge: '合并',
  whistle: '吹哨',
  checkin: '报到',
  followup_done: '回访完成',
  // written by gridcc itself
  absorb: '并入',
  overdue: '超时',
  escalate: '自动升级',
  checkin_missed: '报到超时',
}

/** actionLabel returns the Chinese name of an action; the report itself (no action) is 上报. */
export function actionLabel(a: string | undefined): string {
  return a ? (ACTION_LABELS[a] ?? a) : '上报'
}

/** The kinds of roles (backend/auth/role.go), as the header shows them. */
const ROLE_LABELS: Readonly<Record<string, string>> = {
  officer: '值班员',
  street: '街道',
  community: '社区',
  responder: '处置单位',
  reviewer: '研判员',
  admin: '管理员',
  wall: '大屏',
  ingest: '接入系统',
}

/** roleLabel names a role: its kind in Chinese and, for scoped roles, the scope ("处置单位 gafj"). */
export function roleLabel(role: string): string {
  const [kind, scope] = role.split(':', 2)
  const label = ROLE_LABELS[kind ?? ''] ?? kind ?? role
  return scope ? `${label} ${scope}` : label
}

/** Chinese names of the action request fields, for error messages. */
export const FIELD_LABELS: Readonly<Record<string, string>> = {
  target: '处置对象',
  reason: '说明',
  rating: '评分',
  departments: '吹哨部门',
  due_minutes: '报到时限',
  into: '合并到',
  action: '操作',
}

/** kindLabel returns the Chinese name of a kind, or the code when unknown. */
export function kindLabel(k: string): string {
  return (KIND_LABELS as Record<string, string>)[k] ?? k
}

/** severityLabel returns the Chinese name of a severity, or the code when unknown. */
export function severityLabel(s: string): string {
  return (SEVERITY_LABELS as Record<string, string>)[s] ?? s
}

/** statusLabel returns the Chinese name of a state, or the code when unknown. */
export function statusLabel(s: string): string {
  return (STATUS_LABELS as Record<string, string>)[s] ?? s
}

/** categoryLabel returns the Chinese label of a category code, or the code so a cell is never empty. */
export function categoryLabel(code: string): string {
  return CATEGORY_LABELS[code] ?? code
}

/** Labels of event fields in the console's detail and the responders' page. */
export const FIELD_NAMES = {
  id: '编号',
  kind: '类型',
  category: '类别',
  source: '来源系统',
  source_id: '来源编号',
  address: '地址',
  caller_name: '来电人',
  caller_phone: '联系电话',
  reporter_name: '上报网格员',
  occurred_at: '发生时间',
  reported_at: '上报时间',
  camera_id: '摄像头',
  sensor_id: '传感器',
  description: '描述',
  assignee: '处置单位',
  grid: '网格',
  rating: '评价',
  status: '状态',
} as const

/** The rest of the screens' words. */
export const T = {
  // The district's name comes from the geodata (district.geojson), never from here.
  appTitle: '社会治理中心',
  centerName: (district: string) => `${district}社会治理中心`,
  wallTitle: (district: string) => `${district}社会治理指挥中心`,
  wallSubtitle: '党建+网格+大数据 · 综合态势',

  // connection
  connConnecting: '正在连接',
  connSyncing: '正在同步',
  connLive: '实时',
  connStale: '已中断',
  connRevoked: '已停用',
  staleBanner: (since: string) => `数据已中断 自 ${since}`,
  staleRetry: (seconds: number) => `${seconds} 秒后重连`,
  staleRetrying: '正在重连…',
  revokedTitle: '此屏幕的访问已停用',
  revokedBody: '令牌已被吊销或会话已失效，请向管理员索取新的链接。',
  clientErrorBody: (code: number) => `服务器拒绝了连接（${code}），稍后自动重试。`,

  // KPI tiles
  kpiToday: '今日事件',
  kpiOpen: '未办结',
  kpiOverdue: '超期',
  kpiClosureToday: '今日办结率',
  kpiClosureWeek: '本周办结率',
  kpiHotline: '12345今日',
  kpiCameraAlerts: '雪亮告警',
  kpiWarnings: '预警',
  kpiActive: '处理中',
  kpiNoData: '—',

  // map
  mapMetric: '网格着色',
  metricOpen: '未办结事件',
  metricOverdue: '超期事件',
  metricRisk: '风险等级',
  legendNone: '无',
  riskLevels: ['无', '低', '中', '高'] as const,
  cameraCardTitle: '雪亮告警',
  cameraCardGrid: '所在网格',
  cameraCardWorker: '当班网格员',
  cameraCardWorkerUnknown: '暂无信息',
  cameraCardCamera: '点位',

  // panels
  feedTitle: '实时事件',
  feedEmpty: '暂无事件',
  tickerTitle: '高危告警',
  tickerEmpty: '暂无高危告警',
  chart7Days: '近7日事件（按类型）',
  chartCategories: '本周事件类别',
  chartTopGrids: '本周事件最多的网格',
  chartClosure: '办结率趋势',
  chartUnavailable: '统计服务暂不可用',
  chartNoData: '暂无数据',
  chartLoading: '加载中…',
  chartUpdatedAt: (t: string) => `更新于 ${t}`,

  // units and formats
  unitItems: '件',
  percent: (v: number) => `${(v * 100).toFixed(1)}%`,
  weekdays: ['周日', '周一', '周二', '周三', '周四', '周五', '周六'] as const,

  // other screens
  consoleTitle: '值班指挥台',
  reviewTitle: '周研判',
  mobileTitle: '处置端',
  notBuilt: '该页面尚在建设中',
  notFound: '页面不存在',
  loadingMap: '正在加载地图…',
  mapLoadFailed: '地图数据加载失败，正在重试…',

  // login (shared by /console and /m)
  loginTitle: '登录',
  loginHeading: '社会治理中心 · 登录',
  loginName: '用户名',
  loginPassword: '密码',
  loginSubmit: '登录',
  loginBusy: '正在登录…',
  loginMissing: '请输入用户名和密码。',
  loginWrong: '用户名或密码错误。',
  loginLocked: (wait: string) => `登录失败次数过多，已暂时锁定，请在 ${wait} 后再试。`,
  loginLockedNoTime: '登录失败次数过多，已暂时锁定，请稍后再试。',
  loginUnavailable: '服务暂不可用，请稍后再试。',
  loginOffline: '无法连接服务器，请检查网络后重试。',
  loginDenied: (who: string, role: string) => `当前账号「${who}」（${role}）无权使用此页面，请换一个账号登录。`,
  loginSwitch: '退出并换账号',
  loginExpired: '登录已过期，请重新登录。',
  logout: '退出',
  waitMinSec: (m: number, s: number) => (m > 0 ? `${m} 分 ${s} 秒` : `${s} 秒`),

  // readable messages for refused actions
  errConflict: (action: string, state: string, allowed: string) =>
    `无法${action}：该事件当前为「${state}」。现在可以：${allowed || '无可用操作'}。`,
  errConflictRace: '该事件刚被他人更新，请查看最新状态后重试。',
  errAlreadySummoned: '所选部门已被吹哨且尚未报到，不能重复吹哨。',
  errNoCheckin: '该部门没有待报到的吹哨，无需报到。',
  errMergeClosed: '要合并到的事件已办结，只能合并到未办结的事件。',
  errFollowUpDone: '该回访已完成。',
  errForbidden: (action: string) => `您的账号无权对该事件执行「${action}」（不在您的职责范围内）。`,
  errCsrf: '会话校验失败，请刷新页面后重试。',
  errNotFound: '事件不存在，或已办结过久被清理。',
  errInvalidField: (field: string, hint: string) => `请检查「${field}」：${hint}`,
  errInvalid: '请求内容有误，请检查后重试。',
  errTooLarge: '内容过长。',
  errRateLimited: (s: number) => `操作过于频繁，请 ${s} 秒后再试。`,
  errUnavailable: '服务暂不可用，请稍后重试。',
  errOffline: '无法连接服务器，请检查网络。',
  // the duty console (/console)
  conQueue: '待办队列',
  conQueueCount: (shown: number, open: number) => `显示 ${shown} 件 / 未办结 ${open} 件`,
  conSearchPlaceholder: '搜索编号或标题（回车：含已办结及历史记录）',
  conSearchResults: (n: number) => `实时库 ${n} 件（未办结及近 30 天内办结）`,
  conSearchBack: '返回队列',
  conSearchNote:
    '上方为实时库中未办结及近 30 天内办结的事件；下方为 ClickHouse 历史记录，查近一年的全部案件（含更早办结的），按标题、事件编号、来源编号匹配，可查看完整地址的账号也按地址匹配。',
  conSearchFailed: '搜索失败：',
  conHistoryTitle: '历史记录（ClickHouse）',
  conHistoryCount: (total: number, capped: boolean, repeated: number) =>
    `${capped ? '超过 ' : ''}${total} 件${repeated ? `，其中 ${repeated} 件已在上方` : ''}`,
  conHistoryMore: (shown: number) => `只列出最新的 ${shown} 件，请输入更完整的关键词缩小范围。`,
  conHistoryEmpty: '历史记录中没有匹配的事件。',
  conHistoryShort: '历史记录按 2 至 100 个字查询。',
  conHistoryFailed: '历史记录查询失败：',
  conHistoryUnavailable: '历史库暂不可用，请稍后重试（上方实时结果不受影响）。',
  conHistoryForbidden: '您的账号无权查询历史记录。',
  conHistoryCardNote: '该事件已不在实时库中（办结超过 30 天），以下为历史记录，只读。',
  conEmpty: '没有符合条件的事件',
  conFilters: '筛选',
  conFilterReset: '清除筛选',
  conFacetStatus: '状态',
  conFacetSeverity: '严重程度',
  conFacetKind: '类型',
  conFacetStreet: '街道',
  conFacetCategory: '类别',
  conFacetGrid: '网格',
  conGridPlaceholder: '网格编号，如 411602001-001',
  conOverdueOnly: '仅看超期',
  conAll: '全部',
  conStorm: (n: number) => `告警风暴 ×${n}`,
  conStormSources: (n: number, camera: boolean) => (camera ? `${n} 个点位` : `${n} 个传感器`),
  conExpand: '展开',
  conCollapse: '收起',
  conAckAll: (n: number) => `全部确认（${n}）`,
  conChecked: (n: number) => `已选 ${n} 条告警`,
  conAckChecked: '批量确认',
  conUncheck: '取消选择',
  conBatchDone: (ok: number, fail: number) => (fail ? `已确认 ${ok} 条，${fail} 条未成功：` : `已确认 ${ok} 条告警。`),
  conLeft: (t: string) => `剩 ${t}`,
  conLate: (t: string) => `超 ${t}`,
  conPick: '请在左侧队列中选择事件（↑↓ 或 J/K 切换）',
  conLoading: '加载中…',
  conDetailFailed: '事件详情加载失败：',
  conSource: '来源信息',
  conTimeline: '处置时间线',
  conSuggestions: '疑似重复事件',
  conNoSuggestions: '暂无疑似重复事件',
  conMerged: '已并入本案的事件',
  conWhistle: '吹哨报到',
  conCare: '长效关怀回访',
  conWorker: '当班网格员',
  conWorkerNone: '暂无在册网格员',
  conWorkerMasked: '（已脱敏）',
  conSuggestionLine: (m: number, min: number) => `相距 ${m} 米 · 相隔 ${min} 分钟`,
  conMergeInto: '合并到此',
  conCheckedIn: (t: string) => `已报到 ${t}`,
  conMissed: '报到超时',
  conPending: '待报到',
  conSlaRespond: '响应时限',
  conSlaClose: '办结时限',
  conSlaDone: '已响应',
  conActor: (a: string) => a,
  conDone: (action: string) => `已${action}。`,
  conCancel: '取消',
  conSubmit: '提交',
  conReason: '说明（可选）',
  conReasonRequired: '说明（必填）',
  conResolveReason: '处置结果（必填）',
  conCommentReason: '备注内容（必填）',
  conReopenReason: '重办原因（必填）',
  conWhistleReason: '吹哨事由（必填）',
  conTarget: '派遣给',
  conTargetSearch: '搜索单位名称',
  conGridWorker: (grid: string) => `本网格网格员（${grid}）`,
  conDepartments: '吹哨部门（可多选）',
  conDueMinutes: '报到时限（分钟，留空按各部门默认）',
  conRating: '评分',
  conRatingReason: '群众评价原话（可选）',
  conInto: '合并到（事件编号）',
  conCheckinDept: '报到部门',
  conFollowUp: '回访',
  conNoChoice: '暂无可选项',
  conAlarm: '警报',
  conAlarmOn: '警报已开启',
  conSilence: (m: number) => `静音 ${m} 分钟`,
  conSilencedUntil: (t: string) => `已静音至 ${t}`,
  conUnsilence: '取消静音',
  conAlarmNew: (what: string) => `紧急：${what}`,
  conHelp: '快捷键 ?',
  conHelpTitle: '键盘快捷键',
  conHelpClose: '按 Esc 或 ? 关闭',
  conSessionEnded: '会话已结束，请重新登录。',
  conRelogin: '重新登录',
  conShortcuts: [
    ['↓ / J', '下一条'],
    ['↑ / K', '上一条'],
    ['Enter', '展开或收起告警风暴'],
    ['X', '勾选/取消勾选告警（批量确认）'],
    ['A', '确认当前告警'],
    ['Shift+A', '批量确认已勾选的告警'],
    ['D', '派遣'],
    ['W', '吹哨'],
    ['R', '处置完成'],
    ['E', '结案'],
    ['C', '备注'],
    ['M', '合并到第一个疑似重复事件'],
    ['O', '重办'],
    ['V', '评价'],
    ['/', '搜索'],
    ['S', '警报静音 10 分钟'],
    ['Esc', '关闭对话框 / 清除搜索'],
    ['?', '显示或隐藏本帮助'],
  ] as const,

  // the responders' page (/m)
  mTitle: '我的任务',
  mRefresh: '刷新',
  mUpdated: (t: string) => `更新于 ${t}`,
  mEmpty: '暂无派给您的任务',
  mLoadFailed: '任务加载失败，稍后自动重试。',
  mNew: '待接单',
  mWorking: '处置中',
  mWhistle: '吹哨报到',
  mResolved: '已处置，待中心结案',
  mAccept: '接单',
  mStart: '到场',
  mCheckin: '报到',
  mNote: '备注',
  mResolve: '处置完成',
  mSend: '提交',
  mCancel: '取消',
  mNotePlaceholder: '备注内容',
  mResolvePlaceholder: '处置结果（必填）',
  mDue: (t: string) => `剩余 ${t}`,
  mLate: (t: string) => `已超时 ${t}`,
  mCheckinDue: '报到倒计时',
  mCall: '拨打',
  mDetail: '详情',
  mBack: '返回列表',

  fieldHints: {
    target: '请选择服务于该事件所在街道的单位。',
    reason: '请填写说明（1–1000 字）。',
    rating: '请选择 1–5 分。',
    departments: '请选择 1–10 个不同的部门。',
    due_minutes: '报到时限须为 1–1440 分钟。',
    into: '请选择另一个未办结的事件。',
  } as Record<string, string>,
} as const

/** The words of the review screens (/review, /review/print). */
export const R = {
  title: '周研判',
  subtitle: '风险危机管控研判会',
  reportTitle: '风险危机管控研判周报',
  week: (year: number, week: number) => `${year}年第${week}周`,
  prevWeek: '上一周',
  nextWeek: '下一周',
  lastFullWeek: '最近完整周',
  print: '打印报告',
  printNow: '打印',
  backToReview: '返回周研判',
  exportCsv: '导出CSV',
  loading: '加载中…',
  unavailable: '统计服务暂不可用',
  noData: '本周暂无数据',
  needLogin: '请先登录后查看周研判。',
  loginLink: '前往登录',
  forbidden: '当前账号无权查看统计数据。',
  generatedAt: (t: string) => `生成时间 ${t}`,
  dataNote: '数据口径：按上报日期统计本周上报的事件（区县本地时间，周一至周日）；比较为环比上周、同比去年同周。',

  // KPIs
  kpiReported: '上报事件',
  kpiClosure: '办结率',
  kpiOnTime: '按时办结率',
  kpiSatisfaction: '满意率',
  kpiHandling: '处置时长中位数',
  kpiOpenOverdue: '超期未办结',
  kpiClosedLate: '超期办结',
  kpiCheckin: '吹哨按时报到率',
  checkinNote: (n: number) => `部门报到${n}次`,
  vsPrevious: '环比',
  vsYearAgo: '同比',
  points: '个百分点',
  noChange: '—',
  unitItems: '件',
  unitHours: '小时',
  unitMinutes: '分钟',
  unitDays: '天',

  // sections
  trendByKind: '每日事件（按类型）',
  trendByCategory: '事件类别',
  thisWeek: '本周',
  hotspotMap: '本周事件热力（按网格）',
  streetRanking: '街道排名',
  recurringTitle: '重复纠纷（长效关怀候选）',
  recurringNote: (days: number) => `近90天内同一地址${days}天内反复发生3次以上的矛盾纠纷`,
  lateTitle: '超期事件',
  lateOpen: (n: number) => `超期未办结（${n}）`,
  lateClosed: (n: number) => `超期办结（${n}）`,
  checkinTitle: '吹哨报到（各部门报到情况）',
  replayTitle: '事件回放',

  // tables
  colRank: '排名',
  colStreet: '街道',
  colGrid: '网格',
  colCount: '事件数',
  colPrevious: '上周',
  colChange: '环比',
  colPlace: '地址',
  colTimes: '期内次数',
  colMaxWindow: (days: number) => `${days}天内最多`,
  colLast: '最近一次',
  colEvent: '事件',
  colKind: '类型',
  colCategory: '类别',
  colStatus: '当前状态',
  colAssignee: '承办单位',
  colReported: '上报时间',
  colDue: '应办结',
  colClosed: '办结时间',
  colLate: '超期',
  colDepartment: '单位',
  colSummoned: '吹哨',
  colOnTime: '按时',
  colLateCheckin: '迟到',
  colMissed: '未到',
  colPending: '待到',
  colRate: '按时率',
  colMedian: '报到用时中位数',
  total: '合计',
  empty: '无',
  pagePrev: '上一页',
  pageNext: '下一页',
  pageOf: (from: number, to: number, total: number) => `${from}–${to} / 共${total}条`,

  // replay
  replayDay: '回放日期',
  replayWholeWeek: '整周',
  replayPlay: '播放',
  replayPause: '暂停',
  replaySpeed: '倍速',
  replayJump: '跳转到',
  replayLoading: (n: number, total: number) => `正在载入记录 ${n}/${total}…`,
  replayTruncated: (n: number) => `记录过多，仅回放前${n}条`,
  replayCounts: (reported: number, done: number, open: number) => `已上报 ${reported} · 已办结 ${done} · 在办 ${open}`,
  replayFeedEmpty: '拖动时间轴或点击播放',
  replayReported: '上报',
  /** What a change did, when its action says more than the state it left (docs/workflow.md). */
  replayActions: { whistle: '吹哨', checkin: '到场报到', checkin_missed: '报到超时', overdue: '超期', escalate: '升级', comment: '备注', absorb: '并入', followup_done: '回访' } as Record<string, string>,

  // the printed report
  reportSections: ['一、上报与办理情况', '二、街道排名', '三、超期未办结', '四、超期办结', '五、吹哨报到', '六、重复纠纷（长效关怀候选）'],
  reportLateHeading: (title: string, total: string, shown: number) =>
    shown > 0 ? `${title}（共${total}件，列出超期最久的${shown}件）` : `${title}（共${total}件）`,
  colMetric: '指标',
  colYearAgo: '去年同期',
} as const
