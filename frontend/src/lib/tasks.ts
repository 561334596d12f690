// The responders' page as pure functions: which section a task belongs in,
// and which of a responder's actions its state offers. The server's
// transition table (docs/workflow.md, backend/workflow/action.go) decides;
// this only chooses which buttons to show, and a refusal is explained.

import type { Action } from '../api/cases'
import { isOpen, type GridEvent } from '../types'
import { sortByUrgency } from './urgency'

/** The sections of the page, in the order shown. */
export interface TaskGroups {
  /** Summoned by a whistle and not yet checked in: the clock is running. */
  whistle: GridEvent[]
  /** Dispatched, waiting to be accepted. */
  fresh: GridEvent[]
  /** Accepted or on scene. */
  working: GridEvent[]
  /** Resolved, waiting for the centre to close. */
  resolved: GridEvent[]
}

/** pendingCheckin returns the responder's check-in on e that is still open, if any. */
export function pendingCheckin(e: GridEvent, responder: string | undefined) {
  return responder ? e.whistle?.find((w) => w.department === responder && !w.at) : undefined
}

/** groupTasks sorts the open tasks into sections, each in urgency order. */
export function groupTasks(items: readonly GridEvent[], responder: string | undefined): TaskGroups {
  const g: TaskGroups = { whistle: [], fresh: [], working: [], resolved: [] }
  for (const e of sortByUrgency(items.filter((e) => isOpen(e.status)))) {
    if (pendingCheckin(e, responder)) g.whistle.push(e)
    else if (e.status === 'resolved') g.resolved.push(e)
    else if (e.status === 'dispatched' || e.status === 'reported' || e.status === 'reopened') g.fresh.push(e)
    else g.working.push(e)
  }
  return g
}

/**
 * taskActions lists the buttons a task shows, in order: accept a dispatch,
 * be on scene, check in to a whistle, resolve, and a note (always).
 */
export function taskActions(e: GridEvent, responder: string | undefined): Action[] {
  const out: Action[] = []
  if (pendingCheckin(e, responder)) out.push('checkin')
  if (e.status === 'dispatched') out.push('accept')
  if (e.status === 'accepted') out.push('start')
  if (e.status === 'in_progress' || e.status === 'escalated') out.push('resolve')
  if (isOpen(e.status)) out.push('comment')
  return out
}
