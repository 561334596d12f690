// The pulse layer (overlay chart): the newest events ripple for a few
// seconds. It sits on its own zlevel (its own canvas), so the animation
// repaints a few dozen ripples, not the 5,000 points below.

import type { GridEvent, Severity } from '../../types'
import { kindColor, SEVERITY_SIZES } from '../../theme'

/** pulseSeries returns the ripple series, empty. */
export function pulseSeries(): Record<string, unknown> {
  return {
    id: 'pulse',
    type: 'effectScatter',
    coordinateSystem: 'geo',
    geoIndex: 0,
    zlevel: 1,
    silent: true,
    animation: false,
    showEffectOn: 'render',
    rippleEffect: { brushType: 'stroke', scale: 4.5, period: 1.6, number: 2 },
    data: [],
  }
}

/** pulseData returns the ripple points of the pulsing events. */
export function pulseData(events: readonly GridEvent[], unit: number): Record<string, unknown>[] {
  return events.map((e) => ({
    value: [e.lon, e.lat],
    symbolSize: (SEVERITY_SIZES[e.severity as Severity] ?? 6) * 1.4 * unit,
    itemStyle: { color: kindColor(e.kind), shadowBlur: 10 * unit, shadowColor: kindColor(e.kind) },
  }))
}
