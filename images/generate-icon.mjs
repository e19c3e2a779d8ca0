// Draws images/icon.png (128x128): a blue rounded square with a white arrow leaving an
// envelope-like bar, "a request on its way". Run `node images/generate-icon.mjs` after editing.
// Pixels are supersampled 4x4 for smooth edges; the PNG is written with zlib, no dependencies.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const size = 128;
const samples = 4;
const background = [0x1e, 0x5a, 0xa8];
const foreground = [0xff, 0xff, 0xff];

function insideRoundedSquare(x, y) {
  const radius = 24;
  const cx = Math.min(Math.max(x, radius), size - radius);
  const cy = Math.min(Math.max(y, radius), size - radius);
  return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2;
}

/** The arrow: a shaft from the left and a triangular head pointing right. */
function insideArrow(x, y) {
  const shaft = x >= 26 && x <= 78 && y >= 56 && y <= 72;
  const head = x >= 70 && x <= 104 && Math.abs(y - 64) <= (104 - x) * 0.85;
  const trail = (x >= 26 && x <= 50 && ((y >= 38 && y <= 46) || (y >= 82 && y <= 90)));
  return shaft || head || trail;
}

const rows = [];
for (let py = 0; py < size; py++) {
  const row = Buffer.alloc(1 + size * 4);
  for (let px = 0; px < size; px++) {
    let square = 0;
    let arrow = 0;
    for (let sy = 0; sy < samples; sy++) {
      for (let sx = 0; sx < samples; sx++) {
        const x = px + (sx + 0.5) / samples;
        const y = py + (sy + 0.5) / samples;
        if (insideRoundedSquare(x, y)) {
          square++;
          if (insideArrow(x, y)) arrow++;
        }
      }
    }
    const coverage = square / samples ** 2;
    const mix = square === 0 ? 0 : arrow / square;
    const offset = 1 + px * 4;
    for (let channel = 0; channel < 3; channel++) {
      row[offset + channel] = Math.round(background[channel] * (1 - mix) + foreground[channel] * mix);
    }
    row[offset + 3] = Math.round(coverage * 255);
  }
  rows.push(row);
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buffer) {
  let crc = 0xffffffff;
  for (const byte of buffer) crc = crcTable[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

const header = Buffer.alloc(13);
header.writeUInt32BE(size, 0);
header.writeUInt32BE(size, 4);
header[8] = 8; // bit depth
header[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
writeFileSync(new URL('./icon.png', import.meta.url), png);
console.log(`images/icon.png: ${size}x${size}, ${png.length} bytes`);
