/**
 * Rasterises an SVG document to PNG bytes with resvg (an SVG renderer shipped inside an npm package, so
 * `npm ci` is all it needs) and the Roboto font from @expo-google-fonts/roboto only (no system fonts).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';

const require = createRequire(import.meta.url);
const roboto = dirname(require.resolve('@expo-google-fonts/roboto/package.json'));
const FONTS = [join(roboto, '400Regular', 'Roboto_400Regular.ttf'), join(roboto, '700Bold', 'Roboto_700Bold.ttf')];

/** PNG bytes of an SVG document, drawn with the project's fonts, at `scale` times its size. */
export function rasterise(svg: string, scale = 1): Buffer {
  return new Resvg(svg, {
    font: { loadSystemFonts: false, fontFiles: FONTS, defaultFontFamily: 'Roboto', sansSerifFamily: 'Roboto' },
    background: '#ffffff',
    ...(scale !== 1 ? { fitTo: { mode: 'zoom' as const, value: scale } } : {}),
  }).render().asPng();
}
