// The duty officers' queue as pure functions: which open events pass the
// officer's filters, and the count each filter value would give (faceted:
// a facet's counts apply every other filter, so "高 12" means "12 if you
// also pick 高").

import type { GridEvent, Kind, Severity, Status } from '../types'
import { isOverdue } from './urgency'

/** The facets with a value list; '' means "any". */
export type Facet = 'kind' | 'category' | 'severity' | 'street' | 'status'

/** The officer's filters of the queue. */
export interface QueueFilter {
  kind: Kind | ''
  category: string
  severity: Severity | ''
  street: string
  status: Status | ''
  /** A grid id, or the start of one ("411602001-0"); '' any. */
  grid: string
  /** Only events a deadline has passed on. */
  overdue: boolean
  /** Part of the id or title, case-insensitive; '' any. */
  text: string
}

/** emptyFilter passes every event. */
export function emptyFilter(): QueueFilter {
  return { kind: '', category: '', severity: '', street: '', status: '', grid: '', overdue: false, text: '' }
}

/** activeFilters counts the filters that are set. */
export function activeFilters(f: QueueFilter): number {
  return (Object.values(f) as (string | boolean)[]).filter((v) => v !== '' && v !== false).length
}

const FACETS: readonly Facet[] = ['kind', 'category', 'severity', 'street', 'status']

function facetValue(e: GridEvent, facet: Facet): string {
  switch (facet) {
    case 'kind':
      return e.kind
    case 'category':
      return e.category
    case 'severity':
      return e.severity
    case 'street':
      return e.street_code
    case 'status':
      return e.status
  }
}

/** failing lists the filters e does not pass ('grid', 'overdue', 'text' besides the facets). */
function failing(e: GridEvent, f: QueueFilter, now: number, lowerText: string): string[] {
  const out: string[] = []
  for (const facet of FACETS) if (f[facet] !== '' && facetValue(e, facet) !== f[facet]) out.push(facet)
  if (f.grid !== '' && !e.grid_id.startsWith(f.grid)) out.push('grid')
  if (f.overdue && !isOverdue(e, now)) out.push('overdue')
  if (lowerText !== '' && !e.id.toLowerCase().includes(lowerText) && !e.title.toLowerCase().includes(lowerText)) out.push('text')
  return out
}

/** matchesFilter reports whether e passes every filter of f. */
export function matchesFilter(e: GridEvent, f: QueueFilter, now: number): boolean {
  return failing(e, f, now, f.text.trim().toLowerCase()).length === 0
}

/** Counts per facet value, the overdue count and the total, over a set of events. */
export interface FacetCounts {
  kind: Record<string, number>
  category: Record<string, number>
  severity: Record<string, number>
  street: Record<string, number>
  status: Record<string, number>
  /** Events passing every other filter that are overdue. */
  overdue: number
  /** Events passing every filter. */
  total: number
}

/**
 * applyFilter returns the events passing f and the facet counts, in one
 * pass: an event failing no filter counts in every facet; one failing
 * exactly one facet counts only in that facet (it would pass if that facet
 * were changed); one failing more counts nowhere.
 */
export function applyFilter(events: Iterable<GridEvent>, f: QueueFilter, now: number): { matched: GridEvent[]; counts: FacetCounts } {
  const counts: FacetCounts = { kind: {}, category: {}, severity: {}, street: {}, status: {}, overdue: 0, total: 0 }
  const matched: GridEvent[] = []
  const text = f.text.trim().toLowerCase()
  const bump = (facet: Facet, e: GridEvent): void => {
    const v = facetValue(e, facet)
    counts[facet][v] = (counts[facet][v] ?? 0) + 1
  }
  for (const e of events) {
    const fails = failing(e, f, now, text)
    if (fails.length === 0) {
      matched.push(e)
      counts.total++
      for (const facet of FACETS) bump(facet, e)
      if (f.overdue || isOverdue(e, now)) counts.overdue++
    } else if (fails.length === 1) {
      const only = fails[0]!
      if (only === 'overdue') counts.overdue += isOverdue(e, now) ? 1 : 0
      else if ((FACETS as readonly string[]).includes(only)) bump(only as Facet, e)
    }
  }
  return { matched, counts }
}
