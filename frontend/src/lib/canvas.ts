// The design canvas: the wall is laid out in design units on a canvas one
// design unit per pixel of a 1080-high screen, as wide as the wall's
// aspect (1920 for 16:9, 3840 for 7680×2160), then scaled uniformly to the
// window, so text never stretches and a spliced wall of any shape works.

import { CANVAS_LIMITS, DEFAULT_CANVAS } from '../config'

/** The design height in units; every wall is 1080 units high. */
export const DESIGN_HEIGHT = 1080

/** A canvas size in physical pixels. */
export interface CanvasSize {
  width: number
  height: number
}

/** parseCanvas reads "WxH" (e.g. "3840x2160"); anything else or out of bounds gives null. */
export function parseCanvas(s: string | null | undefined): CanvasSize | null {
  const m = /^\s*(\d{3,5})\s*[x×*]\s*(\d{3,5})\s*$/i.exec(s ?? '')
  if (!m) return null
  const width = Number(m[1])
  const height = Number(m[2])
  const ok = (n: number): boolean => n >= CANVAS_LIMITS.min && n <= CANVAS_LIMITS.max
  return ok(width) && ok(height) ? { width, height } : null
}

/** The layout of the design canvas in a window. */
export interface CanvasLayout {
  /** Design size in units (CSS pixels before the transform). */
  designWidth: number
  designHeight: number
  /** CSS transform scale from design units to window pixels. */
  scale: number
  /** Offsets that centre the canvas in the window (letterbox), window pixels. */
  left: number
  top: number
  /** Device pixels per design unit: what canvases draw at to stay crisp. */
  pixelRatio: number
  /** true for spliced walls wider than 2.5:1, which get the five-column layout. */
  wide: boolean
}

/** layoutCanvas fits canvas into a window of winW×winH CSS pixels at devicePixelRatio dpr. */
export function layoutCanvas(canvas: CanvasSize, winW: number, winH: number, dpr: number): CanvasLayout {
  const unit = canvas.height / DESIGN_HEIGHT
  const designWidth = Math.round(canvas.width / unit)
  const fit = Math.min(winW / canvas.width, winH / canvas.height)
  const scale = unit * fit
  return {
    designWidth,
    designHeight: DESIGN_HEIGHT,
    scale,
    left: Math.max(0, (winW - designWidth * scale) / 2),
    top: Math.max(0, (winH - DESIGN_HEIGHT * scale) / 2),
    // Never below 1: a canvas drawn smaller than the screen would blur.
    pixelRatio: Math.max(1, Math.round(dpr * scale * 100) / 100),
    wide: canvas.width / canvas.height > 2.5,
  }
}

/** canvasFromQuery reads ?canvas= from a query string, falling back to the default. */
export function canvasFromQuery(search: string): CanvasSize {
  return parseCanvas(new URLSearchParams(search).get('canvas')) ?? { ...DEFAULT_CANVAS }
}
