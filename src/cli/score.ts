import { availableParallelism } from 'node:os';
import { resolve as resolvePath } from 'node:path';
import type { Command } from 'commander';
import { ALERT_UNKNOWN, type Detector } from '../detect/detector.js';
import { checkModelWritable, saveModel } from '../detect/model-file.js';
import { UsageError } from '../errors.js';
import { readFeatureTable } from '../kitnet/feature-table.js';
import { cellSeparatorByte, parseTableFormat, TableWriter, type Cell, type TableFormat } from '../output/table.js';
import { AlertSummary } from '../output/alert-summary.js';
import type { AfterImage } from '../afterimage/afterimage.js';
import { BATCH_SIZE, PARALLEL_SLOTS } from '../kitnet/parallel.js';
import type { OutputSink } from '../output/sink.js';
import { RowLabels } from './row-labels.js';
import { openSink, parseIntegerOption, refuseOverwritingInput, resolveInputs, warn, type CliContext } from './common.js';
import { addKitsuneOptions, detectorBuilder, detectorModel, refuseModelOverrides, type BuiltDetector, type KitsuneOptions } from './kitsune-options.js';
import { forEachPacket } from './packets.js';
import { RunSummary } from './run-summary.js';
import { colorFor } from './terminal.js';
import { alertRuleOf } from './alert-options.js';
import { degenerateFitWarning, undecidedReason } from './detection-check.js';
import { ThreadedScoring, type RowEmitter } from './threaded-scoring.js';

/**
 * How far a continued input may start before the model's statistics end without a warning: rotated
 * captures often overlap by a few reordered packets; re-scoring the training capture goes back further.
 */
const MODEL_OVERLAP_TOLERANCE_S = 1;

/** The score table's columns; `--explain` adds EXPLAIN_COLUMNS. */
export const SCORE_COLUMNS = ['index', 'time', 'src', 'dst', 'sport', 'dport', 'proto', 'rmse', 'phase', 'logp', 'alert'] as const;
export const EXPLAIN_COLUMNS = ['ae', 'top_features'] as const;
const INTEGER_COLUMNS = ['index', 'alert', 'ae'];
/** The packet's own cells (index .. proto); the rest comes from KitNET and the detection step. */
const LABEL_CELLS = 7;
const EXIT_ALERTS = 1;
/** Rows whose scores may be in flight at once: every packet of every batch the workers hold. */
const IN_FLIGHT_ROWS = BATCH_SIZE * PARALLEL_SLOTS;
/** This thread reads, decodes and runs AfterImage; the machine's other cores run KitNET. */
const DEFAULT_THREADS = Math.max(1, availableParallelism() - 1);

const EXAMPLES = `
Examples:
  kitsune score capture.pcap                                 learn (map, train), then score; rows as they come
  kitsune score --fm-grace 500 --ad-grace 4000 --calibration 3000 fixtures/sample.pcap --alerts-only --explain
  tcpdump -U -w - | kitsune score -                          live, from a pipe
  tshark -r x.pcap -T fields -E header=y -E occurrence=f -e frame.time_epoch ... | kitsune score
  kitsune score --model model.json next.pcap --fail-on-alert CI: exit 1 when anything alerts
  kitsune score --features features.tsv.gz --feature-map featuremap.json   KitNET alone, on a feature table`;

interface ScoreOptions extends KitsuneOptions {
  output?: string;
  format: TableFormat;
  limit?: number;
  saveModel?: string;
  alertsOnly?: boolean;
  explain?: boolean;
  failOnAlert?: boolean;
  features?: string;
  color: boolean;
  summary: boolean;
  threads: number;
}

/** `kitsune score`: one row per packet with its anomaly score, as packets are processed. */
export function registerScore(program: Command, context: CliContext): void {
  const command = program
    .command('score')
    .description('score every packet: AfterImage features, KitNET RMSE, log-normal probability and alerts')
    .argument('[inputs...]', 'pcap, pcapng (optionally gzip/zstd compressed) or tshark TSV; - is standard input')
    .option('-o, --output <file>', 'write the score table to FILE instead of standard output')
    .option('-f, --format <format>', 'tsv, csv or jsonl', parseTableFormat, 'tsv')
    .option('--limit <n>', 'stop after N packets', parseIntegerOption('--limit', 0))
    .option('--model <file>', 'continue from a saved model (no new training)')
    .option('--warmup <n>', `suppress alerts on the first N packets (default with a model without AfterImage state: 1000)`, parseIntegerOption('--warmup', 0))
    .option('--save-model <file>', 'save the model (with AfterImage state) at the end, also after SIGINT')
    .option('--alerts-only', 'print only rows that alert')
    .option('--explain', 'for alerts, name the autoencoder and the features that reconstruct worst')
    .option('--fail-on-alert', 'exit with status 1 when any packet alerts (for CI)')
    .option('--features <file>', 'score a feature table (kitsune extract TSV or CSV output, or Kitsune-py features.tsv) instead of packets')
    .option('--no-color', 'no colour, even on a terminal (NO_COLOR is honoured too)')
    .option('--no-summary', 'no closing summary on stderr')
    .option('--threads <n>', 'worker threads for KitNET (0: none); with this thread, one per core', parseIntegerOption('--threads', 0), DEFAULT_THREADS);
  addKitsuneOptions(command)
    .addHelpText('after', EXAMPLES)
    .action(async (inputs: string[], options: ScoreOptions, self: Command) => {
      if (options.features !== undefined && inputs.length > 0) {
        throw new UsageError('give either capture inputs or --features, not both');
      }
      refuseModelOverrides(self, options);
      const files = options.features === undefined ? resolveInputs(inputs, context) : [];
      // Every file the run reads: captures (or standard input's file), a feature table, a model, a map.
      const inputFiles = [...files, options.features, options.model, options.featureMap];
      if (options.saveModel === '-') throw new UsageError('--save-model needs a file name (standard output carries the score table)');
      if (options.saveModel !== undefined) {
        refuseOverwritingInput(options.saveModel, inputFiles);
        if (options.output !== undefined && resolvePath(options.output) === resolvePath(options.saveModel)) {
          throw new UsageError(`--save-model and -o both name ${options.output}: the model would replace the table`);
        }
        checkModelWritable(options.saveModel);
      }
      // Packets: the detector (a model read and checked) before any output; a feature table's waits for its width.
      const build = detectorBuilder(options);
      let built: BuiltDetector | undefined = options.features === undefined ? build() : undefined;
      const sink = openSink(options.output, inputFiles);
      const columns = options.explain ? [...SCORE_COLUMNS, ...EXPLAIN_COLUMNS] : [...SCORE_COLUMNS];
      const table = new TableWriter(sink, options.format, columns, INTEGER_COLUMNS);
      const paint = colorFor(process.stdout, options.color && options.output === undefined && options.format === 'tsv');
      const alerts = new AlertSummary();
      const summary = new RunSummary();
      const cells: Cell[] = new Array<Cell>(columns.length).fill(null);
      const labels = new RowLabels(IN_FLIGHT_ROWS);
      /** The --features table's header names, if it has one; the names explanations use. */
      let header: string[] | undefined;
      let names: readonly string[] | undefined;

      /**
       * Writes the row of the packet whose labels are at `slot`, from the detector's last decision;
       * with a worker's result, its formatted cells (rmse .. alert) are copied when they fit the row.
       */
      const emit: RowEmitter = (slot, result) => {
        const detector = (built as BuiltDetector).detector;
        const alert = detector.alert === 1;
        summary.count(detector.phase, alert);
        if (alert) alerts.add(labels.src[slot], labels.dst[slot], labels.time[slot], labels.index[slot], detector.rmse);
        if (options.alertsOnly && !alert) return;
        cells[0] = labels.index[slot];
        cells[1] = Number.isNaN(labels.time[slot]) ? null : labels.time[slot];
        cells[2] = labels.src[slot];
        cells[3] = labels.dst[slot];
        cells[4] = labels.sport[slot];
        cells[5] = labels.dport[slot];
        cells[6] = labels.proto[slot];
        const style = alert && paint.level > 0 ? paint.red : undefined;
        if (result !== null && result.cellsLength >= 0 && !style) {
          if (table.rowWithTail(cells, LABEL_CELLS, result.cells, result.cellsStart, result.cellsLength)) return;
        }
        cells[7] = detector.rmse;
        cells[8] = detector.phase;
        cells[9] = Number.isNaN(detector.logp) ? null : detector.logp;
        cells[10] = detector.alert === ALERT_UNKNOWN ? null : detector.alert;
        if (options.explain) {
          names ??= featureNames(built as BuiltDetector, header);
          const explanation = alert ? (result !== null ? result.explain(names) : detector.explain(names)) : null;
          cells[11] = explanation ? explanation.autoencoder : null;
          cells[12] = explanation ? explanation.features : null;
        }
        table.row(cells, style);
      };

      table.header();
      let failure: unknown;
      try {
        if (built !== undefined) {
          await scorePackets(built, files, context, sink, options, labels, emit);
        } else {
          let scoring: ThreadedScoring | undefined;
          try {
            const onHeader = (featureNames: string[]) => {
              header = featureNames;
            };
            await scoreFeatureTable(options, sink.onClose.bind(sink), onHeader, (x, index) => {
              built ??= build(x.length);
              if (built.detector.kitnet.nFeatures !== x.length) {
                throw new UsageError(`${options.features} has ${x.length} features per row, the model ${built.detector.kitnet.nFeatures}`);
              }
              scoring ??= threadedScoring(built.detector, options, emit);
              const features = scoring.next();
              labels.storeIndex(scoring.slot, index);
              if (features === null) {
                built.detector.score(x);
                emit(0, null);
                return;
              }
              features.set(x);
              scoring.commit();
            });
          } finally {
            await scoring?.finish();
          }
        }
      } catch (error) {
        failure = error;
      }
      await sink.end();
      if (built && options.saveModel !== undefined) {
        saveModel(options.saveModel, detectorModel(built, summary.packets, options.features === undefined));
      }
      // Bad input is reported by its one error line alone (everything before it was written).
      if (failure !== undefined) throw failure;
      const rule = alertRuleOf(options);
      // A run stopped by a signal or by its reader going away (`| head`) did not see the input's end.
      const stopped = context.signalExitCode !== 0 || sink.closed;
      const undecided = built && !stopped ? undecidedReason(built, summary.packets, rule) : undefined;
      if (undecided !== undefined && options.failOnAlert) throw new UsageError(`--fail-on-alert: ${undecided}`);
      if (options.summary && built) {
        const colour = colorFor(process.stderr, options.color);
        process.stderr.write(summary.line(colour));
        process.stderr.write(alerts.report(colour));
      }
      warn(undecided);
      if (built) warn(degenerateFitWarning(built, rule));
      if (options.failOnAlert && summary.alerts > 0) context.exitCode = EXIT_ALERTS;
    });
}

/** The packet loop: each packet through AfterImage, then KitNET here or on worker threads. */
async function scorePackets(
  built: BuiltDetector,
  files: string[],
  context: CliContext,
  sink: OutputSink,
  options: ScoreOptions,
  labels: RowLabels,
  emit: RowEmitter,
): Promise<void> {
  const { detector } = built;
  const afterImage = detector.afterImage as AfterImage;
  const scoring = threadedScoring(detector, options, emit);
  const modelEnd = afterImage.latestTime;
  let first = true;
  try {
    await forEachPacket(files, context, sink, { limit: options.limit, progress: !sink.isTerminal, afterChunk: () => scoring.collect() }, (packet) => {
      if (first) {
        first = false;
        if (packet.timestamp < modelEnd - MODEL_OVERLAP_TOLERANCE_S) warn(earlierThanModel(packet.timestamp, modelEnd));
      }
      const features = scoring.next();
      labels.store(scoring.slot, packet);
      if (features === null) {
        detector.processPacket(packet);
        emit(0, null);
        return;
      }
      afterImage.update(packet, features);
      scoring.commit();
    });
  } finally {
    // Also after bad input: every packet before the fault is still scored and written.
    await scoring.finish();
  }
}

/**
 * A warm model continued on traffic older than its statistics (often the capture it was trained on):
 * Kitsune-py's statistics do not decay on a backward step, so such packets look anomalous.
 */
function earlierThanModel(start: number, modelEnd: number): string {
  return (
    `the input starts at ${start}, before the model's statistics end (${modelEnd}): its packets do not decay them ` +
    'and will score high (continue a model on the traffic that follows it, or train on this capture)'
  );
}

function threadedScoring(detector: Detector, options: ScoreOptions, emit: RowEmitter): ThreadedScoring {
  // With --explain the row goes on after the score cells: the workers format none.
  const separator = options.explain ? -1 : cellSeparatorByte(options.format);
  return new ThreadedScoring(detector, options.threads, separator, options.explain === true, emit);
}

/** AfterImage's feature names; for --features input, the table header's (feature_0, ... without one). */
function featureNames(built: BuiltDetector, header: readonly string[] | undefined): readonly string[] {
  const afterImage = built.detector.afterImage;
  if (afterImage) return afterImage.featureNames;
  const n = built.detector.kitnet.nFeatures;
  if (header !== undefined && header.length === n) return header;
  return Array.from({ length: n }, (_, i) => `feature_${i}`);
}

async function scoreFeatureTable(
  options: ScoreOptions,
  onClose: (listener: () => void) => void,
  onHeader: (featureNames: string[]) => void,
  onRow: (x: Float64Array, index: number) => void,
): Promise<void> {
  let closed = false;
  onClose(() => {
    closed = true;
  });
  let seen = 0;
  const limit = options.limit ?? Infinity;
  await readFeatureTable(options.features as string, (x, index) => {
    if (closed || seen >= limit) return;
    seen++;
    onRow(x, index);
  }, onHeader);
}
