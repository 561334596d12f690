// Colours and type of the dark wall theme, shared by CSS (as custom
// properties, see styles.css) and by the canvases (ECharts cannot read CSS).

import type { Kind, Severity } from './types'

/** The font stack: the bundled web font first, then OS CJK fonts. */
export const FONT_FAMILY = '"Noto Sans SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif'

export const THEME = {
  background: '#050f1c',
  panel: '#0a1e33',
  border: '#1d4a72',
  text: '#dbe9f7',
  muted: '#7f9bb5',
  accent: '#3fd0ff',
  good: '#3ddc97',
  bad: '#ff4d4f',
  /** Series colours of the charts, kind order first. */
  series: ['#3fd0ff', '#ffd166', '#ff6b9a', '#ff8c42', '#3ddc97', '#a78bfa', '#f472b6', '#94a3b8'],
  mapStreetLine: '#6fc3ff',
  mapBoundaryLine: '#9be7ff',
  mapGridLine: '#0b2a45',
}

/** The colour of each kind: markers, feed badges, the 7-day chart. */
export const KIND_COLORS: Record<Kind, string> = {
  grid_event: '#3fd0ff',
  hotline: '#ffd166',
  camera_alert: '#ff6b9a',
  warning: '#ff8c42',
}

/** The colour of each severity: badges, the ticker. */
export const SEVERITY_COLORS: Record<Severity, string> = {
  low: '#7f9bb5',
  medium: '#4fc3f7',
  high: '#ffb020',
  critical: '#ff4d4f',
}

/** Marker diameter per severity, in design units (1 unit = 1 px on a 1080-high canvas). */
export const SEVERITY_SIZES: Record<Severity, number> = {
  low: 5,
  medium: 7,
  high: 10,
  critical: 14,
}

/** kindColor returns a kind's colour, grey when unknown. */
export function kindColor(k: string): string {
  return (KIND_COLORS as Record<string, string>)[k] ?? THEME.muted
}

/** severityColor returns a severity's colour, grey when unknown. */
export function severityColor(s: string): string {
  return (SEVERITY_COLORS as Record<string, string>)[s] ?? THEME.muted
}
