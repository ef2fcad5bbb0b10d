/**
 * The one home of colour contrast: a shop picks its brand colour, so everything drawn on it or in it is
 * chosen here to keep WCAG 2 AA (4.5:1) whatever the colour.
 */

export const DEFAULT_BRAND = '#1f4e79';
const HEX = /^#[0-9a-fA-F]{6}$/;
/** AA for normal text. */
export const MIN_CONTRAST = 4.5;

const luminance = (hex: string): number => {
  const channel = (offset: number) => {
    const value = Number.parseInt(hex.slice(offset, offset + 2), 16) / 255;
    return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
};

/** WCAG 2 contrast ratio of two #RRGGBB colours. */
export const contrastRatio = (a: string, b: string): number => {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
};

export interface BrandPalette {
  /** The brand colour, normalised (#rrggbb); the default for anything that is not a colour. */
  readonly brand: string;
  /** Text on the brand colour: white or black, whichever contrasts more (always at least 4.58:1). */
  readonly onBrand: string;
  /** Links and accents on the given light surfaces: the brand colour if it reads on all, else the default. */
  readonly accent: string;
}

/**
 * What goes with a brand colour. `surfaces` are the backgrounds the accent is drawn on (white unless
 * said); the default accent reads on every light surface the templates use.
 */
export const brandPalette = (brand: string, surfaces: readonly string[] = ['#ffffff']): BrandPalette => {
  const colour = HEX.test(brand) ? brand.toLowerCase() : DEFAULT_BRAND;
  const onBrand =
    contrastRatio(colour, '#ffffff') >= contrastRatio(colour, '#000000') ? '#ffffff' : '#000000';
  const accent = surfaces.every((surface) => contrastRatio(colour, surface) >= MIN_CONTRAST)
    ? colour
    : DEFAULT_BRAND;
  return { brand: colour, onBrand, accent };
};
