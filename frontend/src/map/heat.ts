// The hotspot choropleth's classes: events per grid in a period. A week of
// the real district puts 0–5 events in a grid, a busy benchmark history
// hundreds, so the classes follow the period's largest count: fixed small
// steps while it is small, five round steps otherwise.

import { T } from '../strings'
import type { Piece } from './metrics'

const NONE = '#16324f'
const RAMP = ['#2b7bb9', '#3fb6e0', '#f0b429', '#f07d28', '#e0352b']

/** SMALL are the classes while the largest count is at most 10. */
const SMALL: readonly [number, number][] = [
  [1, 1],
  [2, 3],
  [4, 6],
  [7, 10],
  [11, Infinity],
]

/**
 * stepFor is the largest 1, 2 or 5 times a power of ten whose fourth
 * multiple stays below max, so the top class (from four steps up) holds
 * the largest counts.
 */
function stepFor(max: number): number {
  let best = 1
  for (let p = 1; p * 4 < max; p *= 10) {
    for (const m of [1, 2, 5]) if (m * p * 4 < max) best = m * p
  }
  return best
}

/** heatPieces returns the legend classes for counts up to max. */
export function heatPieces(max: number): Piece[] {
  const none: Piece = { min: 0, max: 0, label: T.legendNone, color: NONE }
  if (max <= 10) {
    return [none, ...SMALL.map(([lo, hi], i) => ({ min: lo, max: hi, label: label(lo, hi), color: RAMP[i]! }))]
  }
  const step = stepFor(max)
  const out: Piece[] = [none]
  for (let i = 0; i < 5; i++) {
    const lo = i === 0 ? 1 : i * step + 1
    const hi = i === 4 ? Infinity : (i + 1) * step
    out.push({ min: lo, max: hi, label: label(lo, hi), color: RAMP[i]! })
  }
  return out
}

function label(lo: number, hi: number): string {
  if (hi === Infinity) return `≥${lo}`
  return lo === hi ? String(lo) : `${lo}–${hi}`
}
