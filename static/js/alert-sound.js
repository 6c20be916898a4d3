// The alert tone: a short beep made with the Web Audio API (no sound file), mutable
// per screen (the choice is kept in localStorage), and never looping: at most
// MAX_BEEPS beeps per alert, however often it repeats.

export const MAX_BEEPS = 3;
const KEY = "alert-sound-muted";

export class AlertSound {
  constructor(storage = globalThis.localStorage) {
    this.storage = storage;
    this.beeped = new Map();  // alert id -> beeps so far
    this.context = null;
    this.played = 0;
  }

  get muted() { return this.storage?.getItem(KEY) === "1"; }

  toggle() {
    this.storage?.setItem(KEY, this.muted ? "0" : "1");
    if (!this.muted) this.unlock();
    return this.muted;
  }

  // Browsers start audio only after a gesture: any click on the page unlocks it.
  unlock() {
    try {
      this.context ??= new AudioContext();
      if (this.context.state === "suspended") this.context.resume();
    } catch { /* no audio on this screen */ }
  }

  // How many beeps this event may still play (pure, for tests).
  allowance(alertId, wanted) {
    const done = this.beeped.get(alertId) || 0;
    const now = Math.max(0, Math.min(wanted, MAX_BEEPS - done));
    this.beeped.set(alertId, done + now);
    return now;
  }

  play(alert, event) {
    if (this.muted || alert.sound === false) return 0;
    const beeps = this.allowance(alert.id, event === "raised" ? 2 : 1);
    if (!beeps) return 0;
    this.unlock();
    const ctx = this.context;
    if (!ctx) return 0;
    const pitch = alert.level === "critical" ? 880 : 660;
    for (let i = 0; i < beeps; i++) {
      const start = ctx.currentTime + i * 0.35;
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.frequency.value = pitch;
      gain.gain.setValueAtTime(0.0001, start);
      gain.gain.exponentialRampToValueAtTime(0.3, start + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.25);
      osc.connect(gain).connect(ctx.destination);
      osc.start(start);
      osc.stop(start + 0.3);
    }
    this.played += beeps;
    document.body.dataset.beeps = String(this.played);
    return beeps;
  }
}

// The sound toggle button: its text says the current state.
export function soundButton(button, sound) {
  // No emoji in the label: they draw as boxes on kiosks without an emoji font.
  const label = () => { button.textContent = sound.muted ? "Sound off" : "Sound on"; };
  button.addEventListener("click", () => { sound.toggle(); label(); });
  label();
  document.addEventListener("click", () => { if (!sound.muted) sound.unlock(); }, { once: true });
}
