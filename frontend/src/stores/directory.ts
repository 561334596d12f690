// The directory of departments and volunteer teams (GET /api/v1/directory),
// loaded once per page: the dispatch and whistle choosers list it, and the
// timeline names targets by it. Grid workers are not listed (their id is
// the grid id; the console shows them as "网格员 <grid>").

import { defineStore } from 'pinia'
import { markRaw, ref, shallowRef } from 'vue'
import { fetchDirectory, type DirectoryEntry } from '../api/cases'

export const useDirectoryStore = defineStore('directory', () => {
  const entries = shallowRef<readonly DirectoryEntry[]>([])
  const byId = shallowRef<ReadonlyMap<string, DirectoryEntry>>(new Map())
  const failed = ref(false)
  let loading: Promise<void> | null = null

  /** load fetches the directory once; a failure may be retried by calling again. */
  function load(): Promise<void> {
    if (entries.value.length) return Promise.resolve()
    loading ??= fetchDirectory()
      .then((list) => {
        entries.value = markRaw(list)
        byId.value = markRaw(new Map(list.map((e) => [e.id, e])))
        failed.value = false
      })
      .catch(() => {
        failed.value = true
      })
      .finally(() => (loading = null))
    return loading
  }

  /** serving lists the entries that may act in a street (district-wide ones included). */
  function serving(street: string): DirectoryEntry[] {
    return entries.value.filter((e) => !e.street || e.street === street)
  }

  /**
   * nameOf names a dispatch or whistle target: a directory entry's name, a
   * grid worker by its grid's name (gridName answers for grid ids), or the id.
   */
  function nameOf(id: string, gridName?: (id: string) => string | undefined): string {
    const e = byId.value.get(id)
    if (e) return e.name
    const g = gridName?.(id)
    return g ? `${g}网格员` : id
  }

  return { entries, byId, failed, load, serving, nameOf }
})
