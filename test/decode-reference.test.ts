import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { readInputs } from '../src/capture/reader.js';
import { PacketFields, TsharkFields } from '../src/decode/fields.js';
import { PacketDecoder } from '../src/decode/packet.js';
import { readPackets } from '../src/decode/stream.js';
import { formatDecodeRow } from '../src/output/decode-row.js';
import { tsharkColumns } from './helpers/tshark-columns.js';
import { CAPTURES, describeShared, readReferenceLines, REFERENCE, SHARED } from './helpers/shared.js';

/**
 * Every capture with a Kitsune-py reference: our decoder + Kitsune-py's row logic must give the
 * reference parsed.tsv row for row (the 9 values Kitsune-py computed from tshark 4.0.17's output), and
 * our 19 fields must equal tshark's own packets.tsv. The corrupt_* captures are not parity targets:
 * tshark's rows there are guesses made from a misread file (README.md), so only their valid prefix is
 * compared by the capture reader's own tests.
 */

interface Case {
  name: string;
  refDir: string;
  capture: string;
}

function findCaptureFor(refDir: string, name: string, torture: boolean): string | undefined {
  const params = path.join(refDir, 'params.json');
  if (existsSync(params)) {
    const capture = (JSON.parse(readFileSync(params, 'utf8')) as { capture?: string }).capture;
    if (capture !== undefined) return path.join(SHARED, capture);
  }
  const dir = torture ? path.join(CAPTURES, 'torture') : CAPTURES;
  const file = readdirSync(dir).find((f) => f.split('.')[0] === name);
  return file === undefined ? undefined : path.join(dir, file);
}

function listCases(): Case[] {
  if (!existsSync(REFERENCE)) return [];
  const cases: Case[] = [];
  for (const [base, torture] of [
    [REFERENCE, false],
    [path.join(REFERENCE, 'torture'), true],
  ] as const) {
    for (const name of readdirSync(base)) {
      const refDir = path.join(base, name);
      if (!existsSync(path.join(refDir, 'parsed.tsv.gz'))) continue;
      const capture = findCaptureFor(refDir, name, torture);
      if (capture !== undefined) cases.push({ name, refDir, capture });
    }
  }
  return cases;
}

async function decodeCapture(capture: string): Promise<{ parsed: string[]; fields: string[][] }> {
  const parsed: string[] = [];
  await readPackets([capture], (p: PacketFields) => parsed.push(formatDecodeRow(p))).catch(() => undefined);
  const decoder = new PacketDecoder();
  const t = new TsharkFields();
  const fields: string[][] = [];
  await readInputs([capture], {
    onRecord(rec) {
      decoder.decode(rec, t);
      fields.push(tsharkColumns(t));
    },
    onFields() {
      throw new Error('not a TSV input');
    },
  }).catch(() => undefined);
  return { parsed, fields };
}

const cases = listCases();
const parityCases = cases.filter((c) => !c.name.startsWith('corrupt_'));

describeShared('decoder against the Kitsune-py reference', () => {
  it('finds the reference captures', () => {
    expect(parityCases.length).toBeGreaterThanOrEqual(20);
  });

  for (const c of parityCases) {
    it(`${c.name}: parsed.tsv and packets.tsv match on every row`, async () => {
      const { parsed, fields } = await decodeCapture(c.capture);
      const refParsed = readReferenceLines(path.join(c.refDir, 'parsed.tsv.gz')).slice(1);
      const refPackets = readReferenceLines(path.join(c.refDir, 'packets.tsv.gz'))
        .slice(1)
        .map((line) => line.split('\t'));
      expect(parsed.length).toBe(refParsed.length);
      const parsedBad: number[] = [];
      refParsed.forEach((row, i) => {
        if (parsed[i] !== row) parsedBad.push(i);
      });
      const fieldsBad: number[] = [];
      refPackets.forEach((row, i) => {
        const ours = fields[i];
        const ref = [String(Number(row[0])), ...row.slice(1)];
        if (ours === undefined || ours.join('\t') !== ref.join('\t')) fieldsBad.push(i);
      });
      const summary = `${c.name}: parsed ${refParsed.length - parsedBad.length}/${refParsed.length}, packets ${
        refPackets.length - fieldsBad.length
      }/${refPackets.length}`;
      console.log(summary);
      for (const i of parsedBad.slice(0, 3)) console.log(` parsed #${i}\n  ours ${parsed[i]}\n  ref  ${refParsed[i]}`);
      for (const i of fieldsBad.slice(0, 3))
        console.log(` packets #${i}\n  ours ${fields[i]?.join('|')}\n  ref  ${refPackets[i].join('|')}`);
      expect(parsedBad).toEqual([]);
      expect(fieldsBad).toEqual([]);
    });

    it(`${c.name}: Kitsune-py's row logic on tshark's own packets.tsv gives parsed.tsv`, async () => {
      const rows: string[] = [];
      await readPackets([path.join(c.refDir, 'packets.tsv.gz')], (p: PacketFields) => rows.push(formatDecodeRow(p)));
      expect(rows).toEqual(readReferenceLines(path.join(c.refDir, 'parsed.tsv.gz')).slice(1));
    });
  }

  // The zstd torture file has no reference folder: it is pcapng_ns_eth_plus_sll_comments.pcapng compressed
  // (same decompressed bytes), so it must decode to that reference.
  it('pcapng_zstd_compressed: decodes to the pcapng_ns_eth_plus_sll_comments reference', async () => {
    const rows: string[] = [];
    await readPackets([path.join(CAPTURES, 'torture', 'pcapng_zstd_compressed.pcapng.zst')], (p: PacketFields) =>
      rows.push(formatDecodeRow(p)),
    );
    const ref = readReferenceLines(path.join(REFERENCE, 'torture', 'pcapng_ns_eth_plus_sll_comments', 'parsed.tsv.gz'));
    expect(rows).toEqual(ref.slice(1));
  });

  // tshark 4.0 cannot read link type 281 (no reference). Were it to, it would show only frame.time_epoch and
  // frame.len for a link layer it does not know: Kitsune-py's row is then IPtype nan, every text field empty.
  it('unknown_linktype_281_brcm: every packet decodes to empty fields but time and length', async () => {
    const rows: string[] = [];
    await readPackets([path.join(CAPTURES, 'torture', 'unknown_linktype_281_brcm.pcap')], (p: PacketFields) =>
      rows.push(formatDecodeRow(p)),
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row).toMatch(/^nan\t\t\t\t\t\t\t\d+\t\d+\.\d+$/);
  });
});
