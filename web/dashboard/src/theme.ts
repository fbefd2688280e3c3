/**
 * The dashboard's Mantine theme. Mantine's light-scheme colours are shade 6 of each palette, and
 * shade 6 is too pale for text: teal-6 on white is 2.55:1, the dimmed grey 3.32:1, where WCAG 2 AA
 * asks 4.5:1 for text (axe-core checks it in test/dashboard). Rather than pick shades by hand (no
 * shade of orange or yellow reads on its own light tint), each colour used as text, or under white
 * text, is darkened just enough to reach AA against the backgrounds it is drawn on.
 */
import {
  alpha,
  type CSSVariablesResolver,
  createTheme,
  DEFAULT_THEME,
  darken,
  luminance,
  type MantineColorsTuple,
  Modal,
  Notification,
  toRgba,
} from '@mantine/core';

/** 4.5:1 is WCAG 2 AA for text; the margin covers rounding in the browser's blending of tints. */
const TARGET = 4.6;
const WHITE = '#ffffff';
/** The page background (styles.css), on which tints and dimmed text also appear. */
const PAGE = DEFAULT_THEME.colors.gray[0];

function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** A translucent tint as it shows over an opaque background. */
function over(tint: string, background: string): string {
  const t = toRgba(tint);
  const b = toRgba(background);
  const channel = (f: number, g: number) => Math.round(f * t.a + g * (1 - t.a));
  return `rgb(${channel(t.r, b.r)}, ${channel(t.g, b.g)}, ${channel(t.b, b.b)})`;
}

/** The colour darkened in small steps until it reaches TARGET against every background. */
function readable(color: string, backgrounds: string[]): string {
  for (let amount = 0; amount < 1; amount += 0.02) {
    const candidate = amount === 0 ? color : darken(color, amount);
    if (backgrounds.every((background) => contrast(candidate, background) >= TARGET)) return candidate;
  }
  return DEFAULT_THEME.black;
}

const PRIMARY_SHADE = 6;

/**
 * Light-scheme variables of one palette colour: text (`c="red"`), outline, the text of light and
 * subtle variants (on their tint, hovered or not), and filled backgrounds under white text.
 */
function colourVariables(name: string, palette: MantineColorsTuple): Record<string, string> {
  const base = palette[PRIMARY_SHADE];
  const tints = [alpha(base, 0.1), alpha(base, 0.12)].flatMap((tint) => [over(tint, WHITE), over(tint, PAGE)]);
  const text = readable(base, [WHITE, PAGE]);
  const filled = readable(base, [WHITE]);
  return {
    [`--mantine-color-${name}-text`]: text,
    [`--mantine-color-${name}-outline`]: text,
    [`--mantine-color-${name}-light-color`]: readable(base, tints),
    [`--mantine-color-${name}-filled`]: filled,
    [`--mantine-color-${name}-filled-hover`]: darken(filled, 0.1),
  };
}

const colours = Object.entries(DEFAULT_THEME.colors).reduce<Record<string, string>>(
  (variables, [name, palette]) => Object.assign(variables, colourVariables(name, palette)),
  {},
);

export const theme = createTheme({
  primaryColor: 'teal',
  primaryShade: PRIMARY_SHADE,
  defaultRadius: 'md',
  fontFamily: 'Inter, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  headings: { fontWeight: '650' },
  // Mantine's close buttons are icons: without a label, screen readers announce nameless buttons.
  components: {
    Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } }),
    Notification: Notification.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } }),
  },
});

/** The dashboard has only the light scheme (main.tsx), so only it is adjusted. */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    ...colours,
    '--mantine-color-anchor': colours['--mantine-color-teal-text'] as string,
    '--mantine-color-dimmed': readable(DEFAULT_THEME.colors.gray[6], [WHITE, PAGE, DEFAULT_THEME.colors.gray[1]]),
    '--mantine-color-error': colours['--mantine-color-red-text'] as string,
  },
  dark: {},
});
