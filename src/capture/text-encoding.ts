/**
 * Byte-order marks in front of tshark's TSV. tshark writes plain UTF-8, but a file saved through
 * Windows tools is often UTF-8 with a BOM (PowerShell `Out-File -Encoding utf8`) or UTF-16 (Windows
 * PowerShell 5's `>` writes UTF-16LE with a BOM). The mark is dropped and UTF-16 is recoded to UTF-8,
 * then the text is sniffed again like any input.
 */
import type { ChunkSource } from './decompress.js';

export type TextEncodingMark = 'utf8-bom' | 'utf16le-bom' | 'utf16be-bom';

const UTF8_BOM = [0xef, 0xbb, 0xbf];
const UTF16LE_BOM = [0xff, 0xfe];
const UTF16BE_BOM = [0xfe, 0xff];

/** The byte-order mark `head` starts with, 'none', or null while too few bytes are there to tell. */
export function detectTextMark(head: Uint8Array, complete: boolean): TextEncodingMark | 'none' | null {
  const startsWith = (mark: number[]) => mark.every((b, i) => head[i] === b);
  const prefixOf = (mark: number[]) => head.length < mark.length && head.every((b, i) => mark[i] === b);
  if (head.length >= UTF8_BOM.length && startsWith(UTF8_BOM)) return 'utf8-bom';
  if (head.length >= UTF16LE_BOM.length && startsWith(UTF16LE_BOM)) return 'utf16le-bom';
  if (head.length >= UTF16BE_BOM.length && startsWith(UTF16BE_BOM)) return 'utf16be-bom';
  if (!complete && (prefixOf(UTF8_BOM) || prefixOf(UTF16LE_BOM) || prefixOf(UTF16BE_BOM))) return null;
  return 'none';
}

function decoderFor(mark: TextEncodingMark): TextDecoder {
  // The decoders drop the BOM themselves (ignoreBOM false).
  return new TextDecoder(mark === 'utf16le-bom' ? 'utf-16le' : mark === 'utf16be-bom' ? 'utf-16be' : 'utf-8');
}

/** The text after its mark, as UTF-8 bytes, chunk by chunk. */
export async function* recodedChunks(source: ChunkSource, mark: TextEncodingMark): AsyncGenerator<Uint8Array> {
  const decoder = decoderFor(mark);
  const encoder = new TextEncoder();
  for await (const chunk of source) {
    const text = decoder.decode(chunk, { stream: true });
    if (text.length > 0) yield encoder.encode(text);
  }
  const rest = decoder.decode();
  if (rest.length > 0) yield encoder.encode(rest);
}

/** The whole text after its mark, as UTF-8 bytes. */
export function recodedBuffer(bytes: Uint8Array, mark: TextEncodingMark): Uint8Array {
  return new TextEncoder().encode(decoderFor(mark).decode(bytes));
}
