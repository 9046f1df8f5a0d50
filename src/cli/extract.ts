import type { Command } from 'commander';
import { AfterImage } from '../afterimage/afterimage.js';
import { parseTableFormat, TableWriter, type Cell, type TableFormat } from '../output/table.js';
import { openSink, parseIntegerOption, resolveInputs, type CliContext } from './common.js';
import { addAfterImageOptions } from './kitsune-options.js';
import { forEachPacket } from './packets.js';

const EXAMPLES = `
Examples:
  kitsune extract capture.pcap > features.tsv          index, time and Kitsune-py's 100 features
  kitsune extract --format csv -o features.csv capture.pcapng
  kitsune extract --lambdas 1,0.1 capture.pcap         2 decay windows: 40 features
  kitsune extract --evict-below 1e-6 huge.pcap         bounded memory (not faithful, see README)`;

interface ExtractOptions {
  output?: string;
  format: TableFormat;
  limit?: number;
  lambdas?: number[];
  evictBelow?: number;
  maxStreams?: number;
}

/** `kitsune extract`: AfterImage's features per packet, one row each, full precision. */
export function registerExtract(program: Command, context: CliContext): void {
  const command = program
    .command('extract')
    .description("print AfterImage's damped incremental statistics (Kitsune-py's 100 features) per packet")
    .argument('[inputs...]', 'pcap, pcapng (optionally gzip/zstd compressed) or tshark TSV; - is standard input')
    .option('-o, --output <file>', 'write to FILE instead of standard output')
    .option('-f, --format <format>', 'tsv, csv or jsonl', parseTableFormat, 'tsv')
    .option('--limit <n>', 'stop after N packets', parseIntegerOption('--limit', 0));
  addAfterImageOptions(command)
    .addHelpText('after', EXAMPLES)
    .action(async (inputs: string[], options: ExtractOptions) => {
      const files = resolveInputs(inputs, context);
      const afterImage = new AfterImage({
        lambdas: options.lambdas,
        evictBelow: options.evictBelow,
        maxStreams: options.maxStreams,
      });
      const sink = openSink(options.output, files);
      const table = new TableWriter(sink, options.format, ['index', 'time', ...afterImage.featureNames]);
      const features = new Float64Array(afterImage.featureCount);
      const cells: Cell[] = new Array<Cell>(table.columns.length);
      table.header();
      try {
        await forEachPacket(files, context, sink, { limit: options.limit, progress: !sink.isTerminal }, (packet) => {
          afterImage.update(packet, features);
          cells[0] = packet.index;
          cells[1] = packet.timestamp;
          for (let i = 0; i < features.length; i++) cells[i + 2] = features[i];
          table.row(cells);
        });
      } finally {
        await sink.end();
      }
    });
}
