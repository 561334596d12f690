// Refused workflow actions as readable Chinese messages. The server's
// messages are English and name codes (docs/workflow.md): a 409 names the
// current state and the allowed actions, which are turned into their
// Chinese labels here; other refusals are told by status and field.

import { ApiError } from '../api/http'
import { actionLabel, FIELD_LABELS, statusLabel, T } from '../strings'

/** The server's 409 for an action the state does not allow (backend/workflow/action.go checkAllowed). */
const NOT_ALLOWED = /: it is ([a-z_]+) \(a [a-z_]+\); allowed actions: (.+)$/

/**
 * actionErrorMessage explains why an action was refused. `action` is the
 * request action; a 409 of the transition table is explained with the
 * state and the actions the server says are allowed now.
 */
export function actionErrorMessage(err: unknown, action: string): string {
  if (!(err instanceof ApiError)) return T.errUnavailable
  const label = actionLabel(action)
  switch (err.status) {
    case 0:
      return T.errOffline
    case 401:
      return T.loginExpired
    case 403:
      return /csrf/i.test(err.message) ? T.errCsrf : T.errForbidden(label)
    case 404:
      return T.errNotFound
    case 409:
      return conflictMessage(err, label)
    case 400:
    case 422:
      return err.field && FIELD_LABELS[err.field]
        ? T.errInvalidField(FIELD_LABELS[err.field]!, T.fieldHints[err.field] ?? err.message)
        : T.errInvalid
    case 413:
      return T.errTooLarge
    case 429:
      return T.errRateLimited(err.retryAfter ?? 5)
    default:
      return T.errUnavailable
  }
}

function conflictMessage(err: ApiError, label: string): string {
  switch (err.field) {
    case 'departments':
      return T.errAlreadySummoned
    case 'target':
      return /follow-up/.test(err.message) ? T.errFollowUpDone : T.errNoCheckin
    case 'into':
      return T.errMergeClosed
  }
  const m = NOT_ALLOWED.exec(err.message)
  if (!m) return T.errConflictRace
  const allowed = m[2] === 'none' ? '' : m[2]!.split(', ').map(actionLabel).join('、')
  return T.errConflict(label, statusLabel(m[1]!), allowed)
}

/** loginErrorMessage explains a failed login (401 wrong, 429 locked with Retry-After, 503, offline). */
export function loginErrorMessage(err: unknown): string {
  if (!(err instanceof ApiError)) return T.loginUnavailable
  switch (err.status) {
    case 0:
      return T.loginOffline
    case 400:
      return T.loginMissing
    case 401:
      return T.loginWrong
    case 429:
      return err.retryAfter ? T.loginLocked(T.waitMinSec(Math.floor(err.retryAfter / 60), err.retryAfter % 60)) : T.loginLockedNoTime
    default:
      return T.loginUnavailable
  }
}
