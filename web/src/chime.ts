// A short two-tone chime for alerts on a laptop (the facility's arrival alert), by Web Audio: no
// sound file to fetch or cache. Browsers allow sound only after the user has touched the page;
// the answer says whether it played.
let context: AudioContext | null = null;

/** Play the chime; answer the audio context's state ("running" when it was heard). */
export async function chime(): Promise<string> {
  try {
    context ??= new AudioContext();
    if (context.state === "suspended") await context.resume();
    const start = context.currentTime;
    for (const [offset, pitch] of [
      [0, 880],
      [0.35, 660],
    ] as const) {
      const tone = context.createOscillator();
      const gain = context.createGain();
      tone.frequency.value = pitch;
      gain.gain.setValueAtTime(0.25, start + offset);
      gain.gain.exponentialRampToValueAtTime(0.001, start + offset + 0.3);
      tone.connect(gain).connect(context.destination);
      tone.start(start + offset);
      tone.stop(start + offset + 0.3);
    }
    return context.state;
  } catch {
    return "unavailable";
  }
}
