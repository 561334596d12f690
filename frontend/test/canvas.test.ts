// The design canvas: parsing ?canvas= and fitting it to a window.

import { describe, expect, it } from 'vitest'
import { canvasFromQuery, layoutCanvas, parseCanvas } from '../src/lib/canvas'

describe('design canvas', () => {
  it('parses WxH and refuses junk', () => {
    expect(parseCanvas('3840x2160')).toEqual({ width: 3840, height: 2160 })
    expect(parseCanvas('6656×1792')).toEqual({ width: 6656, height: 1792 })
    expect(parseCanvas('10x10')).toBeNull()
    expect(parseCanvas('99999x1080')).toBeNull()
    expect(parseCanvas('wide')).toBeNull()
    expect(canvasFromQuery('?canvas=bad')).toEqual({ width: 1920, height: 1080 })
  })

  it('lays a 4K canvas out at 1920×1080 design units, scaled ×2 on a 4K window', () => {
    const l = layoutCanvas({ width: 3840, height: 2160 }, 3840, 2160, 1)
    expect(l).toMatchObject({ designWidth: 1920, designHeight: 1080, scale: 2, left: 0, top: 0, pixelRatio: 2, wide: false })
  })

  it('gives spliced walls a wide design and letterboxes them uniformly', () => {
    const w = layoutCanvas({ width: 7680, height: 2160 }, 7680, 2160, 1)
    expect(w).toMatchObject({ designWidth: 3840, scale: 2, wide: true })
    const odd = layoutCanvas({ width: 6656, height: 1792 }, 1920, 1080, 1)
    expect(odd.designWidth).toBe(4011)
    expect(odd.wide).toBe(true)
    // Uniform scale: the whole width fits, the height is letterboxed.
    expect(odd.designWidth * odd.scale).toBeCloseTo(1920, 0)
    expect(odd.top).toBeGreaterThan(0)
    expect(odd.pixelRatio).toBe(1)
  })
})
