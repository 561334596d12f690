// The map adapter: what every screen asks of "the map", whatever draws it.
// The ECharts implementation (map/echarts) is the default; a MapLibre GL
// one (for wall PCs with a GPU and an intranet tile server) can be added
// beside it and chosen in map/index.ts without touching any panel.
//
// Contract, for every implementation:
// - setGrids is called once with the district's layers; geometry is never
//   sent again. setValues only recolours (by grid id).
// - setEvents receives the whole open set each time (already coalesced by
//   the caller to a few calls per second); an implementation redraws only
//   what changed where it can. `pulsing` are the newest events to animate.
// - Coordinates are WGS84 [lon, lat].
// - Methods may be called before the map has finished its first draw; the
//   implementation applies the latest state when it is ready.

import type { District } from '../stores/geo'
import type { GridEvent } from '../types'
import type { Piece } from './metrics'

/** Colour classes for setValues (the same ones the legend shows). */
export interface ValueScale {
  pieces: Piece[]
}

/** What focus can aim at. */
export type FocusTarget =
  | { kind: 'district' }
  | { kind: 'grid'; gridId: string; zoom?: number }
  | { kind: 'point'; lon: number; lat: number; zoom?: number }

/** A screen position in CSS pixels of the map's element. */
export interface ScreenPoint {
  x: number
  y: number
}

/** Called when the view changes (zoom or pan), so overlays can follow. */
export type ViewListener = (view: { zoom: number }) => void

/** MapAdapter draws the district, its grids' colours, events and cameras. */
export interface MapAdapter {
  /** setGrids installs the district's layers (outline, streets, grids, cameras). Once. */
  setGrids(d: District): void
  /** setValues colours grids by value (grid id → number; absent = 0) with scale's classes. */
  setValues(values: ReadonlyMap<string, number>, scale: ValueScale): void
  /** setEvents draws the open events; `pulsing` animate (the newest only). */
  setEvents(events: readonly GridEvent[], pulsing: readonly GridEvent[]): void
  /** highlight emphasises one grid (null clears). */
  highlight(gridId: string | null): void
  /** focus moves the view to the district, a grid or a point. */
  focus(target: FocusTarget): void
  /** project returns where [lon, lat] is on screen, or null when not drawn yet. */
  project(lon: number, lat: number): ScreenPoint | null
  /** onView registers a view listener; returns the unsubscribe function. */
  onView(fn: ViewListener): () => void
  /** resize follows a change of the element's size (or of the canvas scale). */
  resize(pixelRatio?: number): void
  /** dispose frees everything; the adapter is unusable afterwards. */
  dispose(): void
}

/** How an adapter is created: on a host element, with the device pixel ratio to draw at. */
export type MapAdapterFactory = (host: HTMLElement, opts: { pixelRatio: number; unit: number }) => MapAdapter
