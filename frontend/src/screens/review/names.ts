// Street and grid names for the review's tables: the stats answers carry
// codes and ids, the district's geodata (loaded once) the names.

import { computed, type ComputedRef } from 'vue'
import { useGeoStore } from '../../stores/geo'

/** usePlaceNames returns name lookups that fall back to the code until the geodata is in. */
export function usePlaceNames(): { street: ComputedRef<(code: string) => string>; grid: ComputedRef<(id: string) => string> } {
  const geo = useGeoStore()
  void geo.load()
  const street = computed(() => {
    const names = new Map((geo.district?.streets ?? []).map((s) => [s.code, s.name]))
    return (code: string): string => names.get(code) ?? code
  })
  const grid = computed(() => {
    const grids = geo.district?.grids
    return (id: string): string => {
      const g = grids?.get(id)
      return g ? `${g.street_name} ${g.name}` : id
    }
  })
  return { street, grid }
}
