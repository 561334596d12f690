// useConnectionState is the header's word for the live connection, shared by
// the wall and the console (each styles it its own size): a label and a
// class, live / syncing / down.

import { computed, type ComputedRef } from 'vue'
import { hms } from '../lib/time'
import { useSocketStore } from '../stores/socket'
import { T } from '../strings'

export interface ConnectionState {
  text: string
  cls: 'live' | 'syncing' | 'down'
}

/**
 * useConnectionState follows the socket store. With since, a dropped
 * connection says since when the data is stale (the console has no stale
 * banner of its own; the wall has).
 */
export function useConnectionState(opts: { since?: boolean } = {}): ComputedRef<ConnectionState> {
  const socket = useSocketStore()
  return computed(() => {
    switch (socket.status) {
      case 'live':
        return { text: T.connLive, cls: 'live' }
      case 'syncing':
        return { text: T.connSyncing, cls: 'syncing' }
      case 'revoked':
        return { text: T.connRevoked, cls: 'down' }
      case 'down':
        return { text: opts.since && socket.staleSince ? T.staleBanner(hms(socket.staleSince)) : T.connStale, cls: 'down' }
      default:
        return { text: T.connConnecting, cls: 'syncing' }
    }
  })
}
