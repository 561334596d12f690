// The duty console's pure logic: urgency order, faceted filter counts, alert
// storms, countdowns, the alarm's decisions and readable refusals.

import { describe, expect, it } from 'vitest'
import { ApiError } from '../src/api/http'
import { actionErrorMessage, loginErrorMessage } from '../src/lib/actionErrors'
import { alarmReason, AlarmGate } from '../src/lib/alarm'
import { formatCountdown } from '../src/lib/countdown'
import { applyFilter, emptyFilter, matchesFilter, type QueueFilter } from '../src/lib/queue'
import { safeNext } from '../src/lib/redirect'
import { groupStorms } from '../src/lib/storms'
import { groupTasks, pendingCheckin, taskActions } from '../src/lib/tasks'
import { nextDeadline, sortByUrgency } from '../src/lib/urgency'
import type { Change } from '../src/types'
import { mkEvent } from './helpers'

const NOW = Date.parse('2026-11-25T10:00:00+08:00')
const at = (min: number): string => new Date(NOW + min * 60_000).toISOString()

describe('sortByUrgency', () => {
  const ids = (evs: { id: string }[]) => evs.map((e) => e.id)

  it.each([
    {
      name: 'severity first',
      events: [
        mkEvent({ id: 'low', severity: 'low', respond_by: at(1), close_by: at(600) }),
        mkEvent({ id: 'crit', severity: 'critical', respond_by: at(60), close_by: at(600) }),
        mkEvent({ id: 'high', severity: 'high', respond_by: at(5), close_by: at(600) }),
      ],
      want: ['crit', 'high', 'low'],
    },
    {
      name: 'then the nearest deadline, overdue ones leading',
      events: [
        mkEvent({ id: 'later', severity: 'high', respond_by: at(30), close_by: at(600) }),
        mkEvent({ id: 'overdue', severity: 'high', close_by: at(-10), overdue: true }),
        mkEvent({ id: 'soon', severity: 'high', respond_by: at(2), close_by: at(60) }),
      ],
      want: ['overdue', 'soon', 'later'],
    },
    {
      name: 'then the oldest report, then the id',
      events: [
        mkEvent({ id: 'b', close_by: at(60), reported_at: at(-5) }),
        mkEvent({ id: 'c', close_by: at(60), reported_at: at(-9) }),
        mkEvent({ id: 'a', close_by: at(60), reported_at: at(-5) }),
      ],
      want: ['c', 'a', 'b'],
    },
  ])('$name', ({ events, want }) => {
    expect(ids(sortByUrgency(events))).toEqual(want)
    expect(ids(sortByUrgency([...events].reverse()))).toEqual(want)
  })

  it('takes the earlier of the two deadlines the server stamped at ingest', () => {
    expect(nextDeadline(mkEvent({ respond_by: at(2), close_by: at(90), reported_at: at(0) }))).toBe(NOW + 2 * 60_000)
  })

  it('has no deadline for an event without deadlines', () => {
    expect(nextDeadline(mkEvent({ reported_at: at(-5000) }))).toBe(Infinity)
  })

  it('takes the close deadline alone once someone responded', () => {
    expect(nextDeadline(mkEvent({ close_by: at(90), reported_at: at(0) }))).toBe(NOW + 90 * 60_000)
  })
})

describe('applyFilter', () => {
  const events = [
    mkEvent({ id: '1', kind: 'hotline', severity: 'high', street_code: '411602001', grid_id: '411602001-001', close_by: at(-1), overdue: true }),
    mkEvent({ id: '2', kind: 'hotline', severity: 'low', street_code: '411602002', grid_id: '411602002-003', close_by: at(30), title: '噪音扰民' }),
    mkEvent({ id: '3', kind: 'warning', category: 'gas', severity: 'high', street_code: '411602001', grid_id: '411602001-002', close_by: at(30) }),
    mkEvent({ id: '4', kind: 'grid_event', severity: 'critical', street_code: '411602002', grid_id: '411602002-001', status: 'dispatched', close_by: at(30) }),
  ]
  const f = (over: Partial<QueueFilter>): QueueFilter => ({ ...emptyFilter(), ...over })

  it.each([
    { name: 'no filter', filter: f({}), matched: ['1', '2', '3', '4'], kind: { hotline: 2, warning: 1, grid_event: 1 }, severity: { high: 2, low: 1, critical: 1 }, overdue: 1 },
    // A facet's counts ignore that facet's own choice: "what if I picked another kind".
    { name: 'one kind', filter: f({ kind: 'hotline' }), matched: ['1', '2'], kind: { hotline: 2, warning: 1, grid_event: 1 }, severity: { high: 1, low: 1 }, overdue: 1 },
    { name: 'kind and severity', filter: f({ kind: 'hotline', severity: 'high' }), matched: ['1'], kind: { hotline: 1, warning: 1 }, severity: { high: 1, low: 1 }, overdue: 1 },
    { name: 'overdue only', filter: f({ overdue: true }), matched: ['1'], kind: { hotline: 1 }, severity: { high: 1 }, overdue: 1 },
    { name: 'grid prefix', filter: f({ grid: '411602001-' }), matched: ['1', '3'], kind: { hotline: 1, warning: 1 }, severity: { high: 2 }, overdue: 1 },
    { name: 'text in the title', filter: f({ text: '噪音' }), matched: ['2'], kind: { hotline: 1 }, severity: { low: 1 }, overdue: 0 },
    { name: 'nothing matches', filter: f({ street: '411602009' }), matched: [], kind: {}, severity: {}, overdue: 0 },
  ])('$name', ({ filter, matched, kind, severity, overdue }) => {
    const got = applyFilter(events, filter, NOW)
    expect(got.matched.map((e) => e.id)).toEqual(matched)
    expect(got.counts.total).toBe(matched.length)
    expect(got.counts.kind).toEqual(kind)
    expect(got.counts.severity).toEqual(severity)
    expect(got.counts.overdue).toBe(overdue)
    for (const e of events) expect(matchesFilter(e, filter, NOW)).toBe((matched as string[]).includes(e.id))
  })

  it('counts streets of the events passing the other filters', () => {
    expect(applyFilter(events, f({ severity: 'high' }), NOW).counts.street).toEqual({ '411602001': 2 })
  })
})

describe('groupStorms', () => {
  const cam = (id: string, grid: string, camera: string) =>
    mkEvent({ id, kind: 'camera_alert', category: 'crowd', grid_id: grid, camera_id: camera })

  it('folds alerts of one kind and grid into one row at the first member', () => {
    const evs = [
      mkEvent({ id: 'h1', kind: 'hotline' }),
      cam('c1', 'g1', 'cam-a'),
      mkEvent({ id: 'h2', kind: 'hotline' }),
      cam('c2', 'g1', 'cam-a'),
      cam('c3', 'g1', 'cam-b'),
      cam('c4', 'g2', 'cam-c'),
    ]
    const rows = groupStorms(evs, 3)
    expect(rows.map((r) => r.key)).toEqual(['h1', 'storm:camera_alert:g1', 'h2', 'c4'])
    const storm = rows[1]!
    if (storm.type !== 'storm') throw new Error('not a storm row')
    expect(storm.events.map((e) => e.id)).toEqual(['c1', 'c2', 'c3'])
    expect(storm.lead.id).toBe('c1')
    expect(storm.sources).toBe(2)
  })

  it.each([
    { name: 'below the threshold', n: 2, min: 3, rows: 2 },
    { name: 'at the threshold', n: 3, min: 3, rows: 1 },
    { name: 'a hundred alerts', n: 100, min: 3, rows: 1 },
  ])('$name', ({ n, min, rows }) => {
    const evs = Array.from({ length: n }, (_, i) => cam(`x${i}`, 'g9', 'cam-z'))
    expect(groupStorms(evs, min)).toHaveLength(rows)
  })

  it('never groups other kinds, nor warnings with camera alerts', () => {
    const evs = [
      ...Array.from({ length: 3 }, (_, i) => mkEvent({ id: `g${i}`, kind: 'grid_event', grid_id: 'g1' })),
      cam('c1', 'g1', 'a'),
      cam('c2', 'g1', 'a'),
      mkEvent({ id: 'w1', kind: 'warning', grid_id: 'g1', sensor_id: 's1' }),
    ]
    expect(groupStorms(evs, 3).every((r) => r.type === 'event')).toBe(true)
  })
})

describe('formatCountdown', () => {
  it.each([
    { ms: 299_999, text: '04:59', overdue: false, urgent: true },
    { ms: 300_000, text: '05:00', overdue: false, urgent: false },
    { ms: 999, text: '00:00', overdue: false, urgent: true },
    { ms: -1, text: '00:01', overdue: true, urgent: false },
    { ms: -61_000, text: '01:01', overdue: true, urgent: false },
    { ms: 3_600_000, text: '1小时00分', overdue: false, urgent: false },
    { ms: 5 * 3_600_000 + 7 * 60_000 + 59_000, text: '5小时07分', overdue: false, urgent: false },
    { ms: -(26 * 3_600_000), text: '1天2小时', overdue: true, urgent: false },
  ])('$ms ms → $text', ({ ms, text, overdue, urgent }) => {
    expect(formatCountdown(ms)).toEqual({ text, overdue, urgent })
  })
})

describe('alarm', () => {
  const change = (over: Partial<Change>): Change => ({ event_id: 'e', seq: 1, at: at(0), from: 'reported', to: 'reported', actor: 'x', ...over })

  it.each([
    { name: 'a new critical event', e: mkEvent({ severity: 'critical' }), c: null, live: true, want: 'critical' },
    { name: 'a new high event', e: mkEvent({ severity: 'high' }), c: null, live: true, want: null },
    { name: 'a replayed critical event', e: mkEvent({ severity: 'critical' }), c: null, live: false, want: null },
    { name: 'the SLA timer escalating', e: mkEvent({ severity: 'critical', status: 'escalated' }), c: change({ action: 'escalate', to: 'escalated' }), live: true, want: 'escalated' },
    { name: 'a whistle on a critical case', e: mkEvent({ severity: 'critical', status: 'escalated' }), c: change({ action: 'whistle', to: 'escalated' }), live: true, want: 'escalated' },
    { name: 'a whistle on a medium case', e: mkEvent({ severity: 'medium', status: 'escalated' }), c: change({ action: 'whistle', to: 'escalated' }), live: true, want: null },
    { name: 'a comment on a critical case', e: mkEvent({ severity: 'critical' }), c: change({ action: 'comment' }), live: true, want: null },
    { name: 'a closed critical event', e: mkEvent({ severity: 'critical', status: 'closed' }), c: null, live: true, want: null },
  ])('$name', ({ e, c, live, want }) => {
    expect(alarmReason(e, c, live)).toBe(want)
  })

  it('sounds at most once per gap and never while silenced', () => {
    const g = new AlarmGate(2_000)
    expect(g.shouldSound(NOW)).toBe(true)
    expect(g.shouldSound(NOW + 1_000)).toBe(false)
    expect(g.shouldSound(NOW + 2_000)).toBe(true)
    g.silence(NOW + 2_000, 10 * 60_000)
    expect(g.silenced(NOW + 5_000)).toBe(true)
    expect(g.shouldSound(NOW + 60_000)).toBe(false)
    expect(g.shouldSound(NOW + 2_000 + 10 * 60_000)).toBe(true)
    g.silence(NOW, 10 * 60_000)
    g.silence(NOW, 0)
    expect(g.silenced(NOW)).toBe(false)
  })
})

describe('refusals in Chinese', () => {
  it.each([
    {
      name: '409 of the transition table',
      err: new ApiError(409, 'conflict', 'cannot close event ev_1: it is reported (a hotline); allowed actions: dispatch, comment, merge, whistle'),
      action: 'close',
      want: '无法结案：该事件当前为「已上报」。现在可以：派遣、备注、合并、吹哨。',
    },
    {
      name: '409 with nothing allowed',
      err: new ApiError(409, 'conflict', 'cannot comment event ev_1: it is merged (a hotline); allowed actions: none'),
      action: 'comment',
      want: '无法备注：该事件当前为「已合并」。现在可以：无可用操作。',
    },
    { name: '409 lost race', err: new ApiError(409, 'conflict', 'event ev_1 was changed by someone else twice while acting; reload it and try again'), action: 'accept', want: '该事件刚被他人更新，请查看最新状态后重试。' },
    { name: '409 already summoned', err: new ApiError(409, 'conflict', 'gafj is already summoned', 'departments'), action: 'whistle', want: '所选部门已被吹哨且尚未报到，不能重复吹哨。' },
    { name: '403 scope', err: new ApiError(403, 'forbidden', 'event ev_1 is outside your scope'), action: 'dispatch', want: '您的账号无权对该事件执行「派遣」（不在您的职责范围内）。' },
    { name: '403 csrf', err: new ApiError(403, 'forbidden', 'missing or wrong CSRF token'), action: 'dispatch', want: '会话校验失败，请刷新页面后重试。' },
    { name: '400 naming a field', err: new ApiError(400, 'invalid', 'target gafj-x is not in the directory', 'target'), action: 'dispatch', want: '请检查「处置对象」：请选择服务于该事件所在街道的单位。' },
    { name: '422', err: new ApiError(422, 'unprocessable', 'x', 'reason'), action: 'resolve', want: '请检查「说明」：请填写说明（1–1000 字）。' },
    { name: 'offline', err: new ApiError(0, 'network', 'Failed to fetch'), action: 'resolve', want: '无法连接服务器，请检查网络。' },
  ])('$name', ({ err, action, want }) => {
    expect(actionErrorMessage(err, action)).toBe(want)
  })

  it.each([
    { err: new ApiError(401, 'unauthorized', 'wrong name or password'), want: '用户名或密码错误。' },
    { err: new ApiError(429, 'rate_limited', 'locked', undefined, 754), want: '登录失败次数过多，已暂时锁定，请在 12 分 34 秒 后再试。' },
    { err: new ApiError(429, 'rate_limited', 'locked', undefined, 9), want: '登录失败次数过多，已暂时锁定，请在 9 秒 后再试。' },
    { err: new ApiError(503, 'unavailable', 'redis'), want: '服务暂不可用，请稍后再试。' },
  ])('login $err.status', ({ err, want }) => {
    expect(loginErrorMessage(err)).toBe(want)
  })
})

describe('safeNext', () => {
  it.each([
    { next: '/console?x=1', want: '/console?x=1' },
    { next: '/m', want: '/m' },
    { next: '//evil.example/x', want: '/console' },
    { next: '/\\evil.example', want: '/console' },
    { next: 'https://evil.example', want: '/console' },
    { next: '/login?next=/m', want: '/console' },
    { next: undefined, want: '/console' },
  ])('$next → $want', ({ next, want }) => {
    expect(safeNext(next)).toBe(want)
  })
})

describe('responder tasks', () => {
  const due = at(10)
  it.each([
    { name: 'dispatched', e: mkEvent({ status: 'dispatched', assignee: 'gafj' }), group: 'fresh', actions: ['accept', 'comment'] },
    { name: 'accepted', e: mkEvent({ status: 'accepted', assignee: 'gafj' }), group: 'working', actions: ['start', 'comment'] },
    { name: 'on scene', e: mkEvent({ status: 'in_progress', assignee: 'gafj' }), group: 'working', actions: ['resolve', 'comment'] },
    {
      name: 'whistled, not checked in',
      e: mkEvent({ status: 'escalated', whistle: [{ department: 'gafj', due }, { department: 'sfj', due }] }),
      group: 'whistle',
      actions: ['checkin', 'resolve', 'comment'],
    },
    {
      name: 'whistled, checked in',
      e: mkEvent({ status: 'escalated', whistle: [{ department: 'gafj', due, at: at(1) }] }),
      group: 'working',
      actions: ['resolve', 'comment'],
    },
    { name: 'resolved', e: mkEvent({ status: 'resolved' }), group: 'resolved', actions: ['comment'] },
  ])('$name', ({ e, group, actions }) => {
    const g = groupTasks([e, mkEvent({ status: 'closed' })], 'gafj')
    expect(Object.entries(g).filter(([, v]) => v.length).map(([k]) => k)).toEqual([group])
    expect(taskActions(e, 'gafj')).toEqual(actions)
  })

  it('leaves another department’s check-in alone', () => {
    const e = mkEvent({ status: 'escalated', whistle: [{ department: 'sfj', due }] })
    expect(pendingCheckin(e, 'gafj')).toBeUndefined()
    expect(taskActions(e, 'gafj')).toEqual(['resolve', 'comment'])
  })
})
