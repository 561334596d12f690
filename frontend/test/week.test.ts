// ISO weeks of the review: district weeks, Monday first, YYYY-Www.

import { describe, expect, it } from 'vitest'
import { currentWeek, isFuture, isoWeekOf, lastFullWeek, mondayOfWeek, parseWeek, shiftWeek, weekDays, weekLabel, weekRangeLabel } from '../src/lib/week'

describe('isoWeekOf', () => {
  it.each([
    ['2025-06-02', 2025, 23], // a Monday
    ['2025-06-08', 2025, 23], // its Sunday
    ['2024-12-30', 2025, 1], // a Monday of week 1 in the year before
    ['2021-01-03', 2020, 53], // a Sunday of week 53 in the year after
    ['2026-12-31', 2026, 53],
    ['2027-01-01', 2026, 53],
    ['2024-02-29', 2024, 9],
  ])('%s is in %i-W%i', (day, year, week) => {
    expect(isoWeekOf(day)).toEqual({ year, week })
  })
})

describe('weeks', () => {
  it('names, parses and finds the Monday of a week', () => {
    expect(weekLabel({ year: 2025, week: 5 })).toBe('2025-W05')
    expect(parseWeek('2025-W23')).toEqual({ year: 2025, week: 23 })
    expect(mondayOfWeek({ year: 2025, week: 1 })).toBe('2024-12-30')
    expect(weekDays({ year: 2025, week: 23 })).toEqual({ from: '2025-06-02', to: '2025-06-08' })
  })

  it.each(['', '2025-23', '2025-W00', '2025-W54', '2025-W53', 'x2025-W01', null, undefined])('refuses %s', (s) => {
    expect(parseWeek(s)).toBeNull()
  })

  it('accepts week 53 only where the year has one', () => {
    expect(parseWeek('2026-W53')).toEqual({ year: 2026, week: 53 })
  })

  it('shifts across year ends', () => {
    expect(shiftWeek({ year: 2025, week: 1 }, -1)).toEqual({ year: 2024, week: 52 })
    expect(shiftWeek({ year: 2026, week: 53 }, 1)).toEqual({ year: 2027, week: 1 })
    expect(shiftWeek({ year: 2025, week: 23 }, 52)).toEqual({ year: 2026, week: 23 })
  })

  it('defaults to the last full week of the district, whose weeks start on Monday at 00:00 +08:00', () => {
    // Monday 2025-06-09 00:30 in the district is still Sunday in UTC.
    const mondayEarly = Date.parse('2025-06-08T16:30:00Z')
    expect(currentWeek(mondayEarly)).toEqual({ year: 2025, week: 24 })
    expect(lastFullWeek(mondayEarly)).toEqual({ year: 2025, week: 23 })
    // Sunday 23:30 in the district: the week is not over yet.
    const sundayLate = Date.parse('2025-06-08T15:30:00Z')
    expect(lastFullWeek(sundayLate)).toEqual({ year: 2025, week: 22 })
  })

  it('knows weeks that have not started', () => {
    const now = Date.parse('2025-06-04T04:00:00Z')
    expect(isFuture({ year: 2025, week: 23 }, now)).toBe(false)
    expect(isFuture({ year: 2025, week: 24 }, now)).toBe(true)
  })

  it('writes the days of a week', () => {
    expect(weekRangeLabel({ year: 2025, week: 23 })).toBe('6月2日–6月8日')
    expect(weekRangeLabel({ year: 2025, week: 1 })).toBe('2024年12月30日–2025年1月5日')
  })
})
