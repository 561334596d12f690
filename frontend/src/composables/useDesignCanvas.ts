// useDesignCanvas keeps the design canvas fitted to the window.

import { onBeforeUnmount, onMounted, ref, type Ref } from 'vue'
import { canvasFromQuery, layoutCanvas, type CanvasLayout, type CanvasSize } from '../lib/canvas'

/** useDesignCanvas returns the canvas layout, updated on window resizes. */
export function useDesignCanvas(canvas: CanvasSize = canvasFromQuery(location.search)): Ref<CanvasLayout> {
  const compute = (): CanvasLayout => layoutCanvas(canvas, window.innerWidth, window.innerHeight, window.devicePixelRatio || 1)
  const layout = ref(compute())
  let frame = 0
  const onResize = (): void => {
    cancelAnimationFrame(frame)
    frame = requestAnimationFrame(() => {
      const next = compute()
      const cur = layout.value
      if (next.scale !== cur.scale || next.left !== cur.left || next.top !== cur.top || next.pixelRatio !== cur.pixelRatio) {
        layout.value = next
      }
    })
  }
  onMounted(() => window.addEventListener('resize', onResize))
  onBeforeUnmount(() => {
    window.removeEventListener('resize', onResize)
    cancelAnimationFrame(frame)
  })
  return layout
}
