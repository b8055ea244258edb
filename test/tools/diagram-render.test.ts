/**
 * The diagram renders as a person sees it: resvg (an SVG renderer shipped inside an npm package, so `npm ci`
 * is all it needs) rasterises the SVG with the Roboto font from @expo-google-fonts/roboto, and the PNG must
 * have the drawing's size, visible boxes and arrows, and text.
 */
import { describe, expect, it } from 'vitest';
import { architecture } from '../../tools/diagram/architecture';
import { renderDiagram } from '../../tools/diagram/diagram';
import { productionWithEdgeAndData } from './fixtures';
import { readPng } from './png';
import { rasterise } from './rasterise';

const page = (body: string) => `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="200"><rect width="100%" height="100%" fill="#fff"/>${body}</svg>`;

describe('diagram as a picture', () => {
  it('renders at its own size with boxes, arrows and text on it', () => {
    const svg = renderDiagram('production', architecture(productionWithEdgeAndData()));
    const [, width, height] = /<svg[^>]* width="(\d+)" height="(\d+)"/.exec(svg)!;
    const image = readPng(rasterise(svg));
    expect([image.width, image.height]).toEqual([Number(width), Number(height)]);
    // Boxes, text and arrows cover part of the page (panels are white inside); a blank or failed render covers ~0.
    expect(image.inked).toBeGreaterThan(0.03);
    expect(image.inked).toBeLessThan(0.6);
    // The text is drawn too: the same drawing without its text has clearly less ink (both at half size).
    const half = readPng(rasterise(svg, 0.5));
    const noText = readPng(rasterise(svg.replace(/<text[^>]*>[^<]*<\/text>/g, ''), 0.5));
    expect(half.inked - noText.inked).toBeGreaterThan(0.002);
  });

  it('the renderer draws text with the shipped font, and the PNG reader tells blank from drawn', () => {
    expect(readPng(rasterise(page(''))).inked).toBe(0);
    expect(readPng(rasterise(page('<text x="10" y="100" font-size="40" fill="#000">finbot-api</text>'))).inked).toBeGreaterThan(0.01);
    expect(() => readPng(Buffer.from('not a png'))).toThrow('not a PNG');
  });
});
