/** The pop-up's animations: CSS only, and none at all for members who ask for reduced motion. */
import { css, html, nothing } from 'lit';

export const ANIMATIONS = ['confetti', 'fireworks', 'sparkles', 'glow'] as const;
export type Animation = (typeof ANIMATIONS)[number];

const PARTICLES = 24;

/** Spread evenly over the plane without Math.random (the R2 sequence), so a re-render never moves them. */
const spread = (index: number, step: number, scale: number) => (((index + 1) * step) % 1) * scale;
const X = 0.7548776662;
const Y = 0.569840291;

export function effectLayer(animation: string | null) {
  if (animation !== 'confetti' && animation !== 'fireworks' && animation !== 'sparkles') return nothing;
  return html`<div class="fx fx-${animation}" part="animation" aria-hidden="true">
    ${Array.from({ length: PARTICLES }, (_, index) => {
      const angle = (index / PARTICLES) * Math.PI * 2;
      const style = [
        `--x:${spread(index, X, 100).toFixed(1)}%`,
        `--y:${spread(index, Y, 90).toFixed(1)}%`,
        `--delay:${spread(index, 0.618034, 1.2).toFixed(2)}s`,
        `--dx:${(Math.cos(angle) * 32).toFixed(1)}vmin`,
        `--dy:${(Math.sin(angle) * 32).toFixed(1)}vmin`,
      ].join(';');
      return html`<i style=${style}>${animation === 'sparkles' ? '✦' : ''}</i>`;
    })}
  </div>`;
}

export const effectStyles = css`
  .fx {
    position: fixed;
    inset: 0;
    pointer-events: none;
    overflow: hidden;
    /* Behind the dialog's content, in front of the backdrop. */
    z-index: -1;
  }
  .fx i {
    position: absolute;
    display: block;
    font-style: normal;
  }
  .fx i:nth-child(4n + 1) {
    --c: var(--laurel-fx-1, #f59e0b);
  }
  .fx i:nth-child(4n + 2) {
    --c: var(--laurel-fx-2, #10b981);
  }
  .fx i:nth-child(4n + 3) {
    --c: var(--laurel-fx-3, #3b82f6);
  }
  .fx i:nth-child(4n + 4) {
    --c: var(--laurel-fx-4, #ec4899);
  }
  .fx-confetti i {
    top: -5vh;
    left: var(--x);
    width: 0.55rem;
    height: 0.9rem;
    background: var(--c);
    animation: laurel-fall 2.8s var(--delay) linear forwards;
  }
  .fx-fireworks i {
    left: 50%;
    top: 40%;
    width: 0.7rem;
    height: 0.7rem;
    border-radius: 50%;
    box-shadow: 0 0 0.6rem var(--c);
    background: var(--c);
    opacity: 0;
    animation: laurel-burst 1.3s var(--delay) ease-out 2 both;
  }
  .fx-sparkles i {
    left: var(--x);
    top: var(--y);
    color: var(--c);
    font-size: 1.4rem;
    opacity: 0;
    animation: laurel-twinkle 1.2s var(--delay) ease-in-out 3;
  }
  .glow {
    animation: laurel-glow 1.6s ease-in-out 3;
  }
  @keyframes laurel-fall {
    to {
      transform: translateY(110vh) rotate(720deg);
    }
  }
  @keyframes laurel-burst {
    0% {
      opacity: 1;
      transform: translate(0, 0) scale(0.4);
    }
    100% {
      opacity: 0;
      transform: translate(var(--dx), var(--dy)) scale(1);
    }
  }
  @keyframes laurel-twinkle {
    50% {
      opacity: 1;
      transform: scale(1.3) rotate(20deg);
    }
  }
  @keyframes laurel-glow {
    50% {
      box-shadow:
        0 0 0 4px var(--_accent),
        0 0 2.5rem 0.5rem var(--_accent);
    }
  }
  @keyframes laurel-pop {
    from {
      opacity: 0;
    }
  }
  @keyframes laurel-bounce {
    0% {
      transform: scale(0.3);
    }
    70% {
      transform: scale(1.1);
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .fx {
      display: none;
    }
    *,
    .glow {
      animation: none !important;
    }
  }
`;
