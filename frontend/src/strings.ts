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

/** The rest of the screens' words. */
export const T = {
  appTitle: '川汇区社会治理中心',
  wallTitle: '川汇区社会治理指挥中心',
  wallSubtitle: '党建+网格+大数据 · 综合态势',
  districtName: '川汇区',

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
  fieldHints: {
    target: '请选择服务于该事件所在街道的单位。',
    reason: '请填写说明（1–1000 字）。',
    rating: '请选择 1–5 分。',
    departments: '请选择 1–10 个不同的部门。',
    due_minutes: '报到时限须为 1–1440 分钟。',
    into: '请选择另一个未办结的事件。',
  } as Record<string, string>,
} as const
