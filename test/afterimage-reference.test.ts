import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { AfterImage } from '../src/afterimage/afterimage.js';
import { PacketFields } from '../src/decode/fields.js';
import { describeShared, readReferenceLines, REFERENCE } from './helpers/shared.js';

/** The reference tolerance (README of shared/): |a - b| <= ATOL + RTOL * |b|. */
const RTOL = 1e-9;
const ATOL = 1e-9;
/**
 * Rounding-noise rule for pcc cells. variance = |CF2/w - mean²| is a difference of two numbers of
 * size ~ mean², each carrying the rounding of every past update (relative ~ m·ε, ε = 2.2e-16, m the
 * number of roundings that still weigh in, up to a few hundred here). Its absolute error is thus
 * ~ m·ε·mean², and its relative error ~ m·ε·mean²/var. pcc = cov / sqrt(var_a·var_b) inherits half of
 * each side's relative error, so a pcc can leave the 1e-9 tolerance only when, for one side,
 * m·ε·mean²/var >= 2e-9, i.e. var <= m·ε/2e-9 · mean² ~ 1e-5 · mean² for m ~ 100. The max(1, ·) keeps
 * a floor for streams whose mean is ~0 (var itself then is absolute noise below ~1e-5).
 */
const PCC_NOISE_VARIANCE_RATIO = 1e-5;
const WINDOWS = 5;
const STATS_2D = 7;
/** Column offsets of the HH and HpHp groups (MI: 3 per window, HH: 7, HH_jit: 3, HpHp: 7). */
const GROUP_OFFSETS = [3 * WINDOWS, 13 * WINDOWS];
/** Within a 2-D window block: weight, mean, variance, radius, magnitude, covariance, pcc. */
const MEAN = 1;
const VARIANCE = 2;
const RADIUS = 3;
const MAGNITUDE = 4;
const PCC = 6;

function captures(): string[] {
  const dirs: string[] = [];
  for (const base of [REFERENCE, path.join(REFERENCE, 'torture')]) {
    if (!existsSync(base)) continue;
    for (const name of readdirSync(base).sort()) {
      if (existsSync(path.join(base, name, 'features.tsv.gz'))) dirs.push(path.join(base, name));
    }
  }
  return dirs;
}

function packetsOf(dir: string): PacketFields[] {
  const [header, ...rows] = readReferenceLines(path.join(dir, 'parsed.tsv.gz'));
  expect(header.split('\t')).toEqual([
    'IPtype', 'srcMAC', 'dstMAC', 'srcIP', 'srcProtocol', 'dstIP', 'dstProtocol', 'datagramSize', 'timestamp',
  ]);
  return rows.map((row, index) => {
    const [ipType, srcMAC, dstMAC, srcIP, srcProtocol, dstIP, dstProtocol, size, time] = row.split('\t');
    const p = new PacketFields();
    Object.assign(p, { index, ipType: Number(ipType), srcMAC, dstMAC, srcIP, srcProtocol, dstIP, dstProtocol });
    p.datagramSize = Number(size);
    p.timestamp = Number(time);
    return p;
  });
}

/** Whether the pcc cell of (group, window) in a reference row is rounding noise (see the constant). */
function isNoisePcc(ref: Float64Array, block: number): boolean {
  const meanSrc = ref[block + MEAN];
  const varSrc = ref[block + VARIANCE];
  // The link's other side: radius² = var_a² + var_b², magnitude² = mean_a² + mean_b².
  const varOther = Math.sqrt(Math.max(0, ref[block + RADIUS] ** 2 - varSrc ** 2));
  const meanOther = Math.sqrt(Math.max(0, ref[block + MAGNITUDE] ** 2 - meanSrc ** 2));
  return (
    varSrc <= PCC_NOISE_VARIANCE_RATIO * Math.max(1, meanSrc ** 2) ||
    varOther <= PCC_NOISE_VARIANCE_RATIO * Math.max(1, meanOther ** 2)
  );
}

describeShared('AfterImage against Kitsune-py features', () => {
  const dirs = captures();
  it('finds the reference captures', () => {
    expect(dirs.length).toBeGreaterThanOrEqual(9);
  });
  /**
   * Default laziness, every stream with 2+ links lazy (the closed forms everywhere), and every link
   * updated eagerly as Kitsune-py does.
   */
  const variants: [string, number | undefined][] = [
    ['', undefined],
    [' (lazyDegree 2)', 2],
    [' (eager links)', Number.MAX_SAFE_INTEGER],
  ];
  for (const dir of dirs) for (const [label, lazyDegree] of variants) {
    it(`matches ${path.relative(REFERENCE, dir)}${label}`, () => {
      const packets = packetsOf(dir);
      const features = readReferenceLines(path.join(dir, 'features.tsv.gz'));
      expect(features.length).toBe(packets.length);
      const image = new AfterImage({ lazyDegree });
      const out = new Float64Array(image.featureCount);
      const ref = new Float64Array(image.featureCount);
      let cells = 0;
      let within = 0;
      let pccMisses = 0;
      let identical = 0;
      const badCells: string[] = [];
      packets.forEach((p, i) => {
        image.update(p, out);
        const cols = features[i].split('\t');
        for (let c = 0; c < ref.length; c++) ref[c] = Number(cols[c]);
        const noisePcc = new Set<number>();
        for (const group of GROUP_OFFSETS) {
          for (let k = 0; k < WINDOWS; k++) {
            const block = group + k * STATS_2D;
            if (isNoisePcc(ref, block)) noisePcc.add(block + PCC);
          }
        }
        for (let c = 0; c < ref.length; c++) {
          cells++;
          const ok = Math.abs(out[c] - ref[c]) <= ATOL + RTOL * Math.abs(ref[c]) || (Number.isNaN(out[c]) && Number.isNaN(ref[c]));
          if (Object.is(out[c], ref[c])) identical++;
          if (ok) within++;
          else if (noisePcc.has(c)) pccMisses++;
          else if (badCells.length < 10) badCells.push(`packet ${i} ${image.featureNames[c]}: ${out[c]} vs ${ref[c]}`);
        }
      });
      console.log(
        `${path.relative(REFERENCE, dir)}${label}: ${packets.length} packets, ${((100 * within) / cells).toFixed(4)}% of ` +
          `${cells} cells within 1e-9 (${((100 * identical) / cells).toFixed(4)}% bit-identical), ${pccMisses} noise-pcc misses`,
      );
      expect(badCells).toEqual([]);
    });
  }
});
