// ISO weeks as the review meeting names them: weeks start on Monday and
// are the district's (a Monday 00:30 in 川汇区 is Sunday evening in UTC),
// written YYYY-Www like the stats API's `week` parameter
// (backend/history/period.go). Dates are calendar days YYYY-MM-DD; the
// arithmetic is done on UTC midnights, so no zone can shift a day.

import { addDays, isoDay, mondayOf } from './time'

/** An ISO week: its year (which may differ from its Monday's at the year's ends) and number. */
export interface IsoWeek {
  year: number
  week: number
}

const WEEK_RE = /^(\d{4})-W(\d{2})$/

/** weekday0 returns 0 (Monday) … 6 (Sunday) of a YYYY-MM-DD day. */
function weekday0(day: string): number {
  return (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7
}

/** isoWeekOf returns the ISO week holding a day (the week of its Thursday). */
export function isoWeekOf(day: string): IsoWeek {
  const thursday = addDays(day, 3 - weekday0(day))
  const year = Number(thursday.slice(0, 4))
  const jan1 = `${year}-01-01`
  const dayOfYear = Math.round((Date.parse(`${thursday}T00:00:00Z`) - Date.parse(`${jan1}T00:00:00Z`)) / 86_400_000)
  return { year, week: Math.floor(dayOfYear / 7) + 1 }
}

/** weekLabel writes a week as the API does: 2025-W05. */
export function weekLabel(w: IsoWeek): string {
  return `${String(w.year).padStart(4, '0')}-W${String(w.week).padStart(2, '0')}`
}

/** mondayOfWeek returns the Monday of an ISO week (4 January is always in week 1). */
export function mondayOfWeek(w: IsoWeek): string {
  const jan4 = `${w.year}-01-04`
  return addDays(jan4, -weekday0(jan4) + 7 * (w.week - 1))
}

/** parseWeek reads YYYY-Www; null when malformed or the year has no such week. */
export function parseWeek(s: string | null | undefined): IsoWeek | null {
  const m = WEEK_RE.exec(s ?? '')
  if (!m) return null
  const w = { year: Number(m[1]), week: Number(m[2]) }
  if (w.week < 1 || w.week > 53) return null
  const back = isoWeekOf(mondayOfWeek(w))
  return back.year === w.year && back.week === w.week ? w : null
}

/** weekDays returns the Monday and Sunday of a week. */
export function weekDays(w: IsoWeek): { from: string; to: string } {
  const from = mondayOfWeek(w)
  return { from, to: addDays(from, 6) }
}

/** shiftWeek returns the week n weeks later (earlier for negative n). */
export function shiftWeek(w: IsoWeek, n: number): IsoWeek {
  return isoWeekOf(addDays(mondayOfWeek(w), 7 * n))
}

/**
 * lastFullWeek is the review's default: the last week that has ended in
 * the district, i.e. the one before the week holding now.
 */
export function lastFullWeek(now: number): IsoWeek {
  return isoWeekOf(addDays(mondayOf(now), -7))
}

/** currentWeek is the district week holding now. */
export function currentWeek(now: number): IsoWeek {
  return isoWeekOf(isoDay(now))
}

/** isFuture reports whether a week starts after the district's today. */
export function isFuture(w: IsoWeek, now: number): boolean {
  return mondayOfWeek(w) > isoDay(now)
}

/** weekRangeLabel is 6月2日–6月8日 (with the year when the two days' years differ from each other). */
export function weekRangeLabel(w: IsoWeek): string {
  const { from, to } = weekDays(w)
  const md = (d: string): string => `${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`
  const yearOf = (d: string): string => d.slice(0, 4)
  if (yearOf(from) !== yearOf(to)) return `${yearOf(from)}年${md(from)}–${yearOf(to)}年${md(to)}`
  return `${md(from)}–${md(to)}`
}
