// The district's geodata, loaded once per page and indexed for the screens:
// grids by id, cameras by id, street label points, the district's box.

import { defineStore } from 'pinia'
import { markRaw, ref, shallowRef } from 'vue'
import { fetchLayers, type CameraProps, type DistrictLayers, type GridProps, type Position } from '../api/geo'
import { emptyBBox, extend, labelPoint, type BBox } from '../lib/geometry'

/** A grid's properties and where to put its marker or label. */
export interface GridInfo extends GridProps {
  center: Position
}

/** A camera and its position. */
export interface CameraInfo extends CameraProps {
  lon: number
  lat: number
}

/** A street's name and label point. */
export interface StreetLabel {
  code: string
  name: string
  at: Position
}

/** The indexed district, built from the layers. */
export interface District {
  layers: DistrictLayers
  bbox: BBox
  name: string
  grids: Map<string, GridInfo>
  cameras: Map<string, CameraInfo>
  streets: StreetLabel[]
}

/** indexDistrict builds the indexes of a set of layers (pure; tests call it). */
export function indexDistrict(layers: DistrictLayers): District {
  const bbox = emptyBBox()
  for (const f of layers.boundary.features) extend(bbox, f.geometry)
  if (!Number.isFinite(bbox[0])) for (const f of layers.grids.features) extend(bbox, f.geometry)
  const grids = new Map<string, GridInfo>()
  for (const f of layers.grids.features) {
    grids.set(f.properties.grid_id, { ...f.properties, center: labelPoint(f.geometry, 8) })
  }
  const cameras = new Map<string, CameraInfo>()
  for (const f of layers.cameras.features) {
    const [lon, lat] = f.geometry.coordinates
    cameras.set(f.properties.camera_id, { ...f.properties, lon, lat })
  }
  const streets = layers.streets.features.map((f) => ({
    code: f.properties.street_code,
    name: f.properties.name,
    at: labelPoint(f.geometry),
  }))
  const name = layers.boundary.features[0]?.properties.name ?? ''
  return { layers, bbox, name, grids, cameras, streets }
}

export const useGeoStore = defineStore('geo', () => {
  /** The district once loaded (raw: large and never mutated). */
  const district = shallowRef<District | null>(null)
  const failures = ref(0)
  let loading: Promise<District> | null = null

  /** load fetches the layers once; concurrent callers share the request; failures retry. */
  function load(retryMs = 5_000): Promise<District> {
    if (district.value) return Promise.resolve(district.value)
    loading ??= (async () => {
      for (;;) {
        try {
          const d = markRaw(indexDistrict(await fetchLayers()))
          district.value = d
          return d
        } catch (err) {
          failures.value++
          console.warn('geo layers failed to load; retrying', err)
          await new Promise((r) => setTimeout(r, Math.min(60_000, retryMs * failures.value)))
        }
      }
    })()
    return loading
  }

  return { district, failures, load }
})
