// The bundled web font (Noto Sans SC from @fontsource, served from our own
// assets: no CDN) and its preloading. Canvas text (ECharts) does not redraw
// when a font arrives later, so every canvas waits for preloadFonts first.
// The font is split in ~100 unicode-range slices; loading "the text we will
// draw" fetches only the slices that hold it.

import '@fontsource/noto-sans-sc/400.css'
import '@fontsource/noto-sans-sc/700.css'
import { CATEGORY_LABELS, KIND_LABELS, R, SEVERITY_LABELS, STATUS_LABELS, T } from './strings'

const FAMILY = '"Noto Sans SC"'

/** uiText returns every character of the fixed UI strings, plus digits and Latin letters. */
export function uiText(): string {
  const parts: string[] = ['0123456789%:.-–—·+×/()<>≥ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz']
  const walk = (v: unknown): void => {
    if (typeof v === 'string') parts.push(v)
    else if (typeof v === 'function') parts.push(String((v as (a: unknown) => unknown)(0)))
    else if (Array.isArray(v)) v.forEach(walk)
    else if (v && typeof v === 'object') Object.values(v).forEach(walk)
  }
  walk([T, R, KIND_LABELS, SEVERITY_LABELS, STATUS_LABELS, CATEGORY_LABELS])
  return [...new Set(parts.join(''))].join('')
}

/**
 * preloadFonts loads the web font's slices for text in both weights. It
 * never fails and waits at most timeoutMs: with no font the OS fonts draw.
 */
export async function preloadFonts(text: string, timeoutMs = 8_000): Promise<void> {
  if (typeof document === 'undefined' || !document.fonts) return
  const unique = [...new Set(text)].join('')
  const load = Promise.all([
    document.fonts.load(`400 16px ${FAMILY}`, unique),
    document.fonts.load(`700 16px ${FAMILY}`, unique),
  ]).then(
    () => undefined,
    () => undefined,
  )
  await Promise.race([load, new Promise<void>((r) => setTimeout(r, timeoutMs))])
}
