// Bounded newest-first lists: everything the wall lists has a fixed length,
// so weeks of events never grow the DOM or the heap.

/**
 * pushBounded puts item at the front of list, removes an older entry with
 * the same key (an update replaces its event), and trims list to max.
 * It mutates and returns list.
 */
export function pushBounded<T>(list: T[], item: T, max: number, key: (t: T) => string): T[] {
  const k = key(item)
  const i = list.findIndex((x) => key(x) === k)
  if (i >= 0) list.splice(i, 1)
  list.unshift(item)
  if (list.length > max) list.length = max
  return list
}
