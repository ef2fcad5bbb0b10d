import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  brandPalette,
  contrastRatio,
  DEFAULT_BRAND,
  MIN_CONTRAST,
} from '../../../functions/domain/web/colour.js';

const hexColour = fc
  .tuple(fc.nat(255), fc.nat(255), fc.nat(255))
  .map(([r, g, b]) => `#${[r, g, b].map((channel) => channel.toString(16).padStart(2, '0')).join('')}`);
const lightSurface = fc
  .tuple(
    fc.integer({ min: 0xe8, max: 0xff }),
    fc.integer({ min: 0xe8, max: 0xff }),
    fc.integer({ min: 0xe8, max: 0xff }),
  )
  .map(([r, g, b]) => `#${[r, g, b].map((channel) => channel.toString(16)).join('')}`);

describe('Function: contrastRatio', () => {
  it('computes the WCAG contrast ratio, symmetric and from 1 to 21', () => {
    // Assess
    expect(contrastRatio('#ffffff', '#000000')).toBeCloseTo(21, 5);
    expect(contrastRatio('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
    fc.assert(
      fc.property(hexColour, hexColour, (a, b) => {
        expect(contrastRatio(a, b)).toBeCloseTo(contrastRatio(b, a), 10);
        expect(contrastRatio(a, b)).toBeGreaterThanOrEqual(1);
        expect(contrastRatio(a, b)).toBeLessThanOrEqual(21);
      }),
    );
  });
});

describe('Function: brandPalette', () => {
  it.each([
    ['#2e5e3a', '#ffffff', '#2e5e3a'],
    ['#ffeb3b', '#000000', DEFAULT_BRAND],
    ['#777777', '#000000', DEFAULT_BRAND],
    ['#005a9c', '#ffffff', '#005a9c'],
    ['#005A9C', '#ffffff', '#005a9c'],
  ])('pairs brand %s with text %s and links %s', (brand, onBrand, accent) => {
    // Act
    const palette = brandPalette(brand);

    // Assess
    expect(palette).toEqual({ brand: brand.toLowerCase(), onBrand, accent });
  });

  it('keeps text on the brand and links on every given light surface at AA (4.5:1), whatever the brand', () => {
    fc.assert(
      fc.property(hexColour, fc.array(lightSurface, { maxLength: 3 }), (brand, surfaces) => {
        // Act
        const palette = brandPalette(brand, ['#ffffff', ...surfaces]);

        // Assess
        expect(contrastRatio(palette.brand, palette.onBrand)).toBeGreaterThanOrEqual(MIN_CONTRAST);
        for (const surface of ['#ffffff', ...surfaces])
          expect(contrastRatio(palette.accent, surface)).toBeGreaterThanOrEqual(MIN_CONTRAST);
      }),
    );
  });

  it('falls back to the default for anything that is not a #RRGGBB colour', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 12 }).filter((value) => !/^#[0-9a-fA-F]{6}$/.test(value)),
        (brand) => {
          // Act & Assess
          expect(brandPalette(brand).brand).toBe(DEFAULT_BRAND);
        },
      ),
    );
  });
});
