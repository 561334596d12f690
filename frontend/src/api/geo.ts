// The district's map layers (GET /api/v1/geo/{layer}): GeoJSON in WGS84
// [lon, lat], served gzip-compressed with an ETag (the browser revalidates).

import { getJSON } from './http'

/** A GeoJSON position [lon, lat]. */
export type Position = [number, number]

/** Polygon or MultiPolygon geometry, as the layers carry. */
export type AreaGeometry =
  | { type: 'Polygon'; coordinates: Position[][] }
  | { type: 'MultiPolygon'; coordinates: Position[][][] }

/** A GeoJSON feature with typed properties. */
export interface Feature<G, P> {
  type: 'Feature'
  geometry: G
  properties: P
}

/** A GeoJSON feature collection. */
export interface FeatureCollection<G, P> {
  type: 'FeatureCollection'
  features: Feature<G, P>[]
}

export interface BoundaryProps {
  name: string
  code?: string
}

export interface StreetProps {
  street_code: string
  name: string
  grid_count: number
}

export type GridType = 'urban' | 'rural' | 'special'

export interface GridProps {
  grid_id: string
  name: string
  type: GridType
  community_id: string
  community_name: string
  street_code: string
  street_name: string
  area_km2: number
  synthetic?: boolean
}

export interface CameraProps {
  camera_id: string
  name: string
  grid_id: string
}

export type BoundaryLayer = FeatureCollection<AreaGeometry, BoundaryProps>
export type StreetLayer = FeatureCollection<AreaGeometry, StreetProps>
export type GridLayer = FeatureCollection<AreaGeometry, GridProps>
export type CameraLayer = FeatureCollection<{ type: 'Point'; coordinates: Position }, CameraProps>

/** The layers the wall draws. */
export interface DistrictLayers {
  boundary: BoundaryLayer
  streets: StreetLayer
  grids: GridLayer
  cameras: CameraLayer
}

const base = '/api/v1/geo/'

/** fetchLayers loads the layers the wall needs; cameras are optional (empty when absent). */
export async function fetchLayers(): Promise<DistrictLayers> {
  const [boundary, streets, grids, cameras] = await Promise.all([
    getJSON<BoundaryLayer>(base + 'boundary', { timeoutMs: 60_000 }),
    getJSON<StreetLayer>(base + 'streets', { timeoutMs: 60_000 }),
    getJSON<GridLayer>(base + 'grids', { timeoutMs: 60_000 }),
    getJSON<CameraLayer>(base + 'cameras', { timeoutMs: 60_000 }).catch(
      (): CameraLayer => ({ type: 'FeatureCollection', features: [] }),
    ),
  ])
  return { boundary, streets, grids, cameras }
}
