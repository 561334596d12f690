// Countdowns of deadlines (SLA clocks, 吹哨报到 check-ins), as the console and
// the responders' page show them: minutes and seconds under an hour, hours
// and minutes under a day, days and hours beyond.

/** A formatted countdown. */
export interface Countdown {
  /** "04:59", "1小时05分", "2天3小时" — of the absolute time left or overdue. */
  text: string
  /** The deadline has passed; text is how long ago. */
  overdue: boolean
  /** Less than URGENT_MS left (and not yet passed): show it loudly. */
  urgent: boolean
}

/** Time left under which a countdown is urgent. */
export const URGENT_MS = 5 * 60_000

const pad = (n: number): string => String(n).padStart(2, '0')

/**
 * formatCountdown formats the time until a deadline (ms; negative when it
 * has passed). Seconds are cut, not rounded, so "00:00" shows only in the
 * last second and a passed deadline never reads "00:00".
 */
export function formatCountdown(ms: number): Countdown {
  const overdue = ms < 0
  const s = overdue ? Math.ceil(-ms / 1000) : Math.floor(ms / 1000)
  let text: string
  if (s < 3600) text = `${pad(Math.floor(s / 60))}:${pad(s % 60)}`
  else if (s < 86400) text = `${Math.floor(s / 3600)}小时${pad(Math.floor((s % 3600) / 60))}分`
  else text = `${Math.floor(s / 86400)}天${Math.floor((s % 86400) / 3600)}小时`
  return { text, overdue, urgent: !overdue && ms < URGENT_MS }
}
