// The console's alarm sound, generated with WebAudio: no audio file to
// download or bundle. Browsers start an AudioContext suspended until the
// user interacts with the page; the login click counts (the console opens in
// the same document), and resume() is tried again on every beep.

let ctx: AudioContext | null = null

function audio(): AudioContext | null {
  if (ctx) return ctx
  const Ctor = (globalThis as { AudioContext?: typeof AudioContext }).AudioContext
  if (!Ctor) return null
  ctx = new Ctor()
  return ctx
}

/**
 * beep plays `count` short two-tone pulses (880/660 Hz, 180 ms each) at a
 * moderate volume. It returns whether the sound could start (false when the
 * browser has no WebAudio or has not allowed audio yet).
 */
export function beep(count = 3): boolean {
  const a = audio()
  if (!a) return false
  if (a.state === 'suspended') void a.resume()
  const t0 = a.currentTime + 0.02
  for (let i = 0; i < count; i++) {
    const osc = a.createOscillator()
    const gain = a.createGain()
    const at = t0 + i * 0.3
    osc.type = 'square'
    osc.frequency.setValueAtTime(i % 2 ? 660 : 880, at)
    gain.gain.setValueAtTime(0, at)
    gain.gain.linearRampToValueAtTime(0.15, at + 0.01)
    gain.gain.setValueAtTime(0.15, at + 0.17)
    gain.gain.linearRampToValueAtTime(0, at + 0.18)
    osc.connect(gain).connect(a.destination)
    osc.start(at)
    osc.stop(at + 0.2)
  }
  return a.state !== 'closed'
}
