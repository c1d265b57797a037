// Draws the web app's icons (wwwroot/app/icon-192.png, icon-512.png) from the same shapes as
// icon.svg: a hinging figure with its dowel on a dark rounded square. Run it after changing the
// design: `node host/HingeSensor.Host/Web/icons/draw-icons.mjs`. Plain node, no packages: shapes
// are tested per pixel (4 × 4 samples for smooth edges) and written as an RGBA PNG.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'wwwroot', 'app');

// The design on a 100 × 100 canvas, as in icon.svg: [kind, colour, geometry…].
const BACKGROUND = [0x26, 0x32, 0x3f];
const SHAPES = [
  ['segment', [0x9c, 0x6b, 0x30], [24, 64], [80, 22], 4.5], // the dowel
  ['segment', [0xff, 0xff, 0xff], [30, 70], [70, 40], 7], // the back, hinged forward
  ['circle', [0xff, 0xff, 0xff], [79, 36], 8], // the head
  ['segment', [0xb7, 0xc0, 0xc9], [33, 72], [40, 90], 6], // the leg
  ['square', [0x64, 0xb5, 0xf6], [30, 70], 4.5], // sacrum sensor
  ['square', [0x64, 0xb5, 0xf6], [58, 49], 4.5], // upper-back sensor
];

function inside(shape, x, y) {
  const [kind, , a, b, c] = shape;
  if (kind === 'circle') return Math.hypot(x - a[0], y - a[1]) <= b;
  if (kind === 'square') return Math.abs(x - a[0]) <= b && Math.abs(y - a[1]) <= b;
  const dx = b[0] - a[0], dy = b[1] - a[1];
  const t = Math.max(0, Math.min(1, ((x - a[0]) * dx + (y - a[1]) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(x - (a[0] + t * dx), y - (a[1] + t * dy)) <= c / 2;
}

function roundedSquare(x, y) {
  const r = 18;
  const cx = Math.min(Math.max(x, r), 100 - r), cy = Math.min(Math.max(y, r), 100 - r);
  return Math.hypot(x - cx, y - cy) <= r;
}

function draw(size) {
  const px = new Uint8Array(size * size * 4);
  const n = 4;
  for (let py = 0; py < size; py++) {
    for (let qx = 0; qx < size; qx++) {
      let r = 0, g = 0, b = 0, cover = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const x = ((qx + (sx + 0.5) / n) / size) * 100, y = ((py + (sy + 0.5) / n) / size) * 100;
          if (!roundedSquare(x, y)) continue;
          let colour = BACKGROUND;
          for (const s of SHAPES) if (inside(s, x, y)) colour = s[1];
          r += colour[0]; g += colour[1]; b += colour[2]; cover++;
        }
      }
      const i = (py * size + qx) * 4;
      if (cover > 0) {
        px[i] = Math.round(r / cover); px[i + 1] = Math.round(g / cover); px[i + 2] = Math.round(b / cover);
      }
      px[i + 3] = Math.round((255 * cover) / (n * n));
    }
  }
  return png(size, px);
}

const CRC = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[i] = c >>> 0;
  }
  return t;
})();

function crc(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const b = Buffer.alloc(12 + data.length);
  b.writeUInt32BE(data.length, 0);
  b.write(type, 4, 'ascii');
  Buffer.from(data).copy(b, 8);
  b.writeUInt32BE(crc(b.subarray(4, 8 + data.length)), 8 + data.length);
  return b;
}

function png(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bits per channel
  header[9] = 6; // RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) Buffer.from(rgba.buffer, y * size * 4, size * 4).copy(raw, y * (size * 4 + 1) + 1);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

for (const size of [192, 512]) writeFileSync(join(out, `icon-${size}.png`), draw(size));
