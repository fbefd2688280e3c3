/**
 * Celebration sounds: browsers refuse to play audio before the member has interacted with the page,
 * so nothing plays until a first pointer or key press; the member's mute choice is remembered.
 */

const MUTED_KEY = 'laurel:muted';
let unlocked = false;

function unlock(): void {
  unlocked = true;
  window.removeEventListener('pointerdown', unlock, true);
  window.removeEventListener('keydown', unlock, true);
}

if (typeof window !== 'undefined') {
  window.addEventListener('pointerdown', unlock, true);
  window.addEventListener('keydown', unlock, true);
}

export function isMuted(): boolean {
  try {
    return localStorage.getItem(MUTED_KEY) === '1';
  } catch {
    // Storage can be off (privacy settings, sandboxed frames): sound stays on.
    return false;
  }
}

export function setMuted(muted: boolean): void {
  try {
    if (muted) localStorage.setItem(MUTED_KEY, '1');
    else localStorage.removeItem(MUTED_KEY);
  } catch {
    // Not remembered, but still applied for this page.
  }
}

/** Plays the sound if audio is unlocked and not muted; never throws, never rejects. */
export function play(url: string | null, muted: boolean): HTMLAudioElement | null {
  if (!url || muted || !unlocked) return null;
  try {
    const audio = new Audio(url);
    audio.play().catch(() => {});
    return audio;
  } catch {
    return null;
  }
}
