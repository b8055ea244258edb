/**
 * The diagram renders in a real browser: headless Chromium screenshots the SVG, and the PNG must have the
 * window's size and visible drawing on it. Fails (never skips) without Chromium: CI installs it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { architecture } from '../../tools/diagram/architecture';
import { renderDiagram } from '../../tools/diagram/diagram';
import { productionWithEdgeAndData } from './fixtures';
import { readPng } from './png';

const work = mkdtempSync(join(tmpdir(), 'finbot-diagram-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function chromium(): string {
  for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
    const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim();
    if (found) return found;
  }
  throw new Error('Chromium is needed to render the diagram: install it (Debian/Ubuntu: apt-get install -y chromium), then run the tests again. CI (.ci/run) installs it.');
}

/** Screenshots a file with headless Chromium at 1600×1000 into a PNG. */
function screenshot(svgFile: string, pngFile: string): void {
  execFileSync(chromium(), [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', `--user-data-dir=${mkdtempSync(join(work, 'profile-'))}`,
    `--screenshot=${pngFile}`, '--window-size=1600,1000', `file://${svgFile}`,
  ], { stdio: 'pipe', timeout: 60_000 });
}

describe('diagram in a browser', () => {
  it('renders to a 1600×1000 PNG with a drawing on it', () => {
    const svg = join(work, 'production.svg');
    const png = join(work, 'production.png');
    writeFileSync(svg, renderDiagram('production', architecture(productionWithEdgeAndData())));
    screenshot(svg, png);
    expect(statSync(png).size).toBeGreaterThan(20_000);
    const image = readPng(readFileSync(png));
    expect([image.width, image.height]).toEqual([1600, 1000]);
    // boxes, text and arrows cover a few percent of the page; a blank or failed render covers ~0
    expect(image.inked).toBeGreaterThan(0.03);
    expect(image.inked).toBeLessThan(0.9);
  }, 90_000);

  it('the PNG reader tells a blank page from a drawing', () => {
    const blank = join(work, 'blank.svg');
    writeFileSync(blank, '<svg xmlns="http://www.w3.org/2000/svg" width="1600" height="1000"><rect width="100%" height="100%" fill="#fff"/></svg>');
    screenshot(blank, join(work, 'blank.png'));
    expect(readPng(readFileSync(join(work, 'blank.png'))).inked).toBe(0);
    expect(() => readPng(Buffer.from('not a png'))).toThrow('not a PNG');
  }, 90_000);
});
