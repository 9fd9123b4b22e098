// A small PNG decoder for screenshots (8-bit greyscale/RGB/RGBA, with or without alpha, not
// interlaced): enough to read back what the page drew.
import { inflateSync } from 'node:zlib';

export function decodePng(buf) {
  const sig = [137, 80, 78, 71, 13, 10, 26, 10];
  sig.forEach((b, i) => { if (buf[i] !== b) throw new Error('not a PNG'); });
  let pos = 8, width = 0, height = 0, depth = 0, colorType = 0, interlace = 0;
  const idat = [];
  while (pos < buf.length) {
    const len = buf.readUInt32BE(pos);
    const type = buf.toString('latin1', pos + 4, pos + 8);
    const data = buf.subarray(pos + 8, pos + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      depth = data[8];
      colorType = data[9];
      interlace = data[12];
    } else if (type === 'IDAT') {
      idat.push(data);
    } else if (type === 'IEND') {
      break;
    }
    pos += 12 + len;
  }
  const channels = { 0: 1, 2: 3, 4: 2, 6: 4 }[colorType];
  if (depth !== 8 || !channels || interlace !== 0) throw new Error(`unsupported PNG: depth ${depth}, colour type ${colorType}, interlace ${interlace}`);
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const out = Buffer.alloc(width * height * 4);
  const prev = Buffer.alloc(stride), cur = Buffer.alloc(stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? cur[x - channels] : 0, b = prev[x], c = x >= channels ? prev[x - channels] : 0;
      let v = line[x];
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      cur[x] = v & 0xff;
    }
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4, i = x * channels;
      if (channels >= 3) { out[o] = cur[i]; out[o + 1] = cur[i + 1]; out[o + 2] = cur[i + 2]; }
      else { out[o] = out[o + 1] = out[o + 2] = cur[i]; }
      out[o + 3] = channels === 4 ? cur[i + 3] : channels === 2 ? cur[i + 1] : 255;
    }
    cur.copy(prev);
  }
  return { width, height, data: out };
}

/** Colour statistics of a rectangle (device pixels): distinct colours and the share that differs from `bg`. */
export function regionStats(img, { x = 0, y = 0, width = img.width, height = img.height } = {}, bg = null) {
  const colors = new Set();
  let differing = 0, total = 0;
  const x0 = Math.max(0, Math.floor(x)), y0 = Math.max(0, Math.floor(y));
  const x1 = Math.min(img.width, Math.ceil(x + width)), y1 = Math.min(img.height, Math.ceil(y + height));
  for (let yy = y0; yy < y1; yy++) {
    for (let xx = x0; xx < x1; xx++) {
      const o = (yy * img.width + xx) * 4;
      const r = img.data[o], g = img.data[o + 1], b = img.data[o + 2];
      colors.add((r << 16) | (g << 8) | b);
      if (bg && (Math.abs(r - bg[0]) + Math.abs(g - bg[1]) + Math.abs(b - bg[2]) > 48)) differing++;
      total++;
    }
  }
  return { colors: colors.size, differing, total };
}

/** The most common colour of a rectangle: [r, g, b]. */
export function dominantColor(img, rect) {
  const counts = new Map();
  const x0 = Math.floor(rect.x), y0 = Math.floor(rect.y);
  for (let yy = y0; yy < y0 + Math.floor(rect.height); yy++) {
    for (let xx = x0; xx < x0 + Math.floor(rect.width); xx++) {
      const o = (yy * img.width + xx) * 4;
      const k = (img.data[o] << 16) | (img.data[o + 1] << 8) | img.data[o + 2];
      counts.set(k, (counts.get(k) || 0) + 1);
    }
  }
  let best = 0, bestN = -1;
  for (const [k, n] of counts) if (n > bestN) { best = k; bestN = n; }
  return [(best >> 16) & 255, (best >> 8) & 255, best & 255];
}
