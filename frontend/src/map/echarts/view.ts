// The view every geo component of the stacked charts shares. Both charts
// lay their geo out from the same bounding box, aspect and margins, so a
// point lands on the same pixel in the polygon chart and in the event
// overlay above it.

import type { BBox } from '../../lib/geometry'

/** Where the view is: center [lon, lat] (null: the district's middle) and zoom (1: whole district). */
export interface View {
  center: [number, number] | null
  zoom: number
}

/** The whole district. */
export const HOME: View = { center: null, zoom: 1 }

/** Zoom limits of the map. */
export const SCALE_LIMIT = { min: 1, max: 14 }

/** geoLayout returns the layout options every geo component of the wall map uses. */
export function geoLayout(bbox: BBox, view: View): Record<string, unknown> {
  const midLat = (bbox[1] + bbox[3]) / 2
  return {
    boundingCoords: [
      [bbox[0], bbox[3]],
      [bbox[2], bbox[1]],
    ],
    // Degrees of longitude are shorter than degrees of latitude away from
    // the equator; without this the district looks stretched east–west.
    aspectScale: Math.cos((midLat * Math.PI) / 180),
    left: '1.5%',
    right: '1.5%',
    top: '1.5%',
    bottom: '1.5%',
    center: view.center ?? [(bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2],
    zoom: view.zoom,
    scaleLimit: SCALE_LIMIT,
  }
}
