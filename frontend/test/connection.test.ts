// The headers' connection label (useConnectionState): one wording for the
// wall and the console, the console's with the time the data went stale.

import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { useConnectionState } from '../src/composables/useConnectionState'
import { hms } from '../src/lib/time'
import { useSocketStore } from '../src/stores/socket'
import { T } from '../src/strings'

describe('useConnectionState', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it.each([
    { status: 'live', text: T.connLive, cls: 'live' },
    { status: 'syncing', text: T.connSyncing, cls: 'syncing' },
    { status: 'revoked', text: T.connRevoked, cls: 'down' },
    { status: 'down', text: T.connStale, cls: 'down' },
    { status: 'connecting', text: T.connConnecting, cls: 'syncing' },
    { status: 'idle', text: T.connConnecting, cls: 'syncing' },
  ] as const)('says $text when the socket is $status', ({ status, text, cls }) => {
    const socket = useSocketStore()
    socket.status = status
    expect(useConnectionState().value).toEqual({ text, cls })
  })

  it('says since when the data is stale when asked to', () => {
    const socket = useSocketStore()
    const since = Date.parse('2026-11-26T09:30:05+08:00')
    socket.status = 'down'
    socket.staleSince = since
    expect(useConnectionState({ since: true }).value.text).toBe(T.staleBanner(hms(since)))
    expect(useConnectionState().value.text).toBe(T.connStale)
  })
})
