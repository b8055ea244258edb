/**
 * A minimal PNG reader for tests: dimensions from the IHDR chunk, and the share of pixels that differ from
 * the top-left one (to tell a drawing from a blank page), and the pixels themselves. 8-bit RGB/RGBA,
 * non-interlaced only (what resvg writes).
 * @see https://www.w3.org/TR/png-3/
 */
import { inflateSync } from 'node:zlib';

/** What a screenshot looks like, in numbers. */
export interface PngSummary {
  readonly width: number;
  readonly height: number;
  /** Share (0..1) of pixels whose colour differs from the top-left pixel. */
  readonly inked: number;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A decoded PNG: RGB(A) rows, `channels` bytes per pixel. */
export interface PngPixels {
  readonly width: number;
  readonly height: number;
  readonly channels: number;
  readonly data: Buffer;
  /** The [r, g, b] of a pixel. */
  rgb(x: number, y: number): [number, number, number];
}

/** Parses a PNG; throws when it is not one this reader understands. */
export function readPng(png: Buffer): PngSummary {
  const px = decodePng(png);
  const first = px.data.subarray(0, px.channels);
  let differing = 0;
  for (let i = 0; i < px.width * px.height; i++) if (px.data.compare(first, 0, px.channels, i * px.channels, (i + 1) * px.channels) !== 0) differing++;
  return { width: px.width, height: px.height, inked: differing / (px.width * px.height) };
}

/** Decodes a PNG into its pixels; throws when it is not one this reader understands. */
export function decodePng(png: Buffer): PngPixels {
  if (!png.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG file (bad signature)');
  let offset = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    const data = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      const [depth, colour, , , interlace] = [data[8], data[9], data[10], data[11], data[12]];
      if (depth !== 8 || interlace !== 0 || (colour !== 2 && colour !== 6)) throw new Error(`unsupported PNG: depth ${depth}, colour type ${colour}, interlace ${interlace}`);
      channels = colour === 6 ? 4 : 3;
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const prev = Buffer.alloc(stride);
  const line = Buffer.alloc(stride);
  const data = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? line[i - channels] : 0;
      const b = prev[i];
      const c = i >= channels ? prev[i - channels] : 0;
      let v = src[i];
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      line[i] = v & 0xff;
    }
    line.copy(data, y * stride);
    line.copy(prev);
  }
  const rgb = (x: number, y: number): [number, number, number] => {
    const o = (y * width + x) * channels;
    return [data[o], data[o + 1], data[o + 2]];
  };
  return { width, height, channels, data, rgb };
}
