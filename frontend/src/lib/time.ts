// Times as the district reads them: the district's zone, 24-hour clock.

import { TIME_ZONE } from '../config'

const clockFmt = new Intl.DateTimeFormat('zh-CN', {
  timeZone: TIME_ZONE,
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
})

const dateFmt = new Intl.DateTimeFormat('en-CA', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
})

const weekdayFmt = new Intl.DateTimeFormat('en-US', { timeZone: TIME_ZONE, weekday: 'short' })

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']

/** hms formats a time as HH:MM:SS in the district's zone. */
export function hms(t: number | Date): string {
  return clockFmt.format(t)
}

/** hm formats a time as HH:MM in the district's zone. */
export function hm(t: number | Date): string {
  return hms(t).slice(0, 5)
}

/** isoDay returns the district-local date of t as YYYY-MM-DD. */
export function isoDay(t: number | Date): string {
  return dateFmt.format(t)
}

/** weekday returns 0 (Sunday) … 6 of t in the district's zone. */
export function weekday(t: number | Date): number {
  return WEEKDAYS.indexOf(weekdayFmt.format(t))
}

/** addDays shifts a YYYY-MM-DD date by n days (calendar arithmetic, no zone). */
export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + n)
  return d.toISOString().slice(0, 10)
}

/** mondayOf returns the Monday of the district-local week holding t (weeks start on Monday). */
export function mondayOf(t: number | Date): string {
  const wd = weekday(t)
  return addDays(isoDay(t), -((wd + 6) % 7))
}

/** parseTime returns the epoch milliseconds of an RFC 3339 time, or NaN. */
export function parseTime(s: string | undefined): number {
  return s ? Date.parse(s) : NaN
}

/** zoneOffset returns how far the district's clock is ahead of UTC at t, in ms. */
function zoneOffset(t: number): number {
  const p = new Intl.DateTimeFormat('en-CA', {
    timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
  }).formatToParts(t)
  const v = (type: string): number => Number(p.find((x) => x.type === type)?.value)
  return Date.UTC(v('year'), v('month') - 1, v('day'), v('hour'), v('minute'), v('second')) - Math.floor(t / 1000) * 1000
}

/** toLocalInput writes t as a datetime-local value (YYYY-MM-DDTHH:MM) on the district's clock. */
export function toLocalInput(t: number): string {
  return new Date(t + zoneOffset(t)).toISOString().slice(0, 16)
}

/** fromLocalInput reads a datetime-local value as the district's clock; NaN when malformed. */
export function fromLocalInput(s: string): number {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(s)) return NaN
  const asUTC = Date.parse(s + 'Z')
  return asUTC - zoneOffset(asUTC - zoneOffset(asUTC))
}
