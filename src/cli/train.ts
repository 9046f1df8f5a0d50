import type { Command } from 'commander';
import { checkModelWritable, modelText, saveModel } from '../detect/model-file.js';
import { UsageError } from '../errors.js';
import { readFeatureTable } from '../kitnet/feature-table.js';
import { OutputSink } from '../output/sink.js';
import { pyRepr } from '../output/number.js';
import { refuseOverwritingInput, resolveInputs, warn, writeWholeOutput, type CliContext } from './common.js';
import { alertRuleOf } from './alert-options.js';
import { addKitsuneOptions, detectorBuilder, detectorModel, type BuiltDetector, type KitsuneOptions } from './kitsune-options.js';
import { forEachPacket } from './packets.js';
import { RunSummary } from './run-summary.js';
import { colorFor } from './terminal.js';
import { degenerateFitWarning } from './detection-check.js';

const EXAMPLES = `
Examples:
  kitsune train --fm-grace 500 --ad-grace 4000 --calibration 3000 fixtures/sample.pcap -o model.json
  kitsune score --model model.json tomorrow.pcap --fail-on-alert
  kitsune train --features features.tsv.gz --fm-grace 5000 --ad-grace 50000 -o model.json`;

interface TrainOptions extends KitsuneOptions {
  output: string;
  features?: string;
  state: boolean;
  color: boolean;
  summary: boolean;
}

/**
 * `kitsune train`: learns the feature map and the autoencoders (fm-grace + ad-grace + 1 packets),
 * executes the calibration stretch and fits the threshold, then saves the model and stops reading.
 */
export function registerTrain(program: Command, context: CliContext): void {
  const command = program
    .command('train')
    .description('learn a model (feature map, autoencoders, threshold) from benign traffic and save it')
    .argument('[inputs...]', 'pcap, pcapng (optionally gzip/zstd compressed) or tshark TSV; - is standard input')
    .requiredOption('-o, --output <file>', 'where to write the model (JSON; - for standard output)')
    .option('--features <file>', 'train on a feature table (kitsune extract TSV or CSV output, or Kitsune-py features.tsv) instead of packets')
    .option('--no-state', "leave AfterImage's statistics out of the model (smaller; scoring then starts cold)")
    .option('--no-color', 'no colour, even on a terminal (NO_COLOR is honoured too)')
    .option('--no-summary', 'no closing summary and fit line on stderr (warnings still appear)');
  addKitsuneOptions(command)
    .addHelpText('after', EXAMPLES)
    .action(async (inputs: string[], options: TrainOptions) => {
      if (options.features !== undefined && inputs.length > 0) {
        throw new UsageError('give either capture inputs or --features, not both');
      }
      const rule = alertRuleOf(options);
      const files = options.features === undefined ? resolveInputs(inputs, context) : [];
      const toStdout = options.output === '-';
      refuseOverwritingInput(options.output, [...files, options.features, options.featureMap]);
      const build = detectorBuilder(options);
      if (!toStdout) checkModelWritable(options.output);
      const summary = new RunSummary();
      let built: BuiltDetector | undefined;
      let needed = 0;
      const step = (score: () => void): boolean => {
        const detector = (built as BuiltDetector).detector;
        score();
        summary.count(detector.phase, false);
        return detector.calibration.fit !== null;
      };
      if (options.features === undefined) {
        built = build();
        needed = trainingLength(built);
        const detector = built.detector;
        const sink = OutputSink.toStdout();
        await forEachPacket(files, context, sink, { limit: needed, progress: true }, (packet) =>
          step(() => detector.processPacket(packet)),
        );
        await sink.end();
      } else {
        let done = false;
        await readFeatureTable(options.features, (x) => {
          if (done) return;
          built ??= build(x.length);
          needed = trainingLength(built);
          done = step(() => (built as BuiltDetector).detector.score(x));
        });
      }
      if (!built || built.detector.kitnet.phase !== 'exec') {
        const grace = (built?.params.fmGrace ?? options.fmGrace) + (built?.params.adGrace ?? options.adGrace) + 1;
        throw new UsageError(
          `${inputNames(options.features === undefined ? files : [options.features])}: the input ended after ${summary.packets} packets; training needs fm-grace + ad-grace + 1 = ${grace} ` +
            '(lower --fm-grace/--ad-grace or give more traffic)',
        );
      }
      const calibration = built.detector.calibration;
      const complete = calibration.fit !== null;
      calibration.finish();
      const model = detectorModel(built, summary.packets, options.state && options.features === undefined);
      if (toStdout) await writeWholeOutput(undefined, modelText(model), { wholeOrError: true });
      else saveModel(options.output, model);
      const written = toStdout ? 'standard output' : options.output;
      const paint = colorFor(process.stderr, options.color);
      const fit = calibration.fit;
      if (options.summary) {
        process.stderr.write(summary.line(paint));
        process.stderr.write(
          fit
            ? `kitsune: log-normal fit on ${fit.n} executed packets${complete ? '' : ` (the run ended before ${calibration.target})`}: ` +
                `mu ${pyRepr(fit.mu)}, sigma ${pyRepr(fit.sigma)}, alert above rmse ${pyRepr(fit.thresholdRmse(rule))}; model written to ${written}\n`
            : `kitsune: no executed packets to fit a threshold on; model written to ${written} without one\n`,
        );
      }
      warn(degenerateFitWarning(built, rule));
    });
}

/** The inputs as messages name them. */
function inputNames(files: readonly string[]): string {
  return files.map((file) => (file === '-' ? 'standard input' : file)).join(', ');
}

/** Packets a training run reads: the grace periods, the first executed packet and the calibration stretch. */
function trainingLength(built: BuiltDetector): number {
  const { fmGrace, adGrace } = built.params;
  return fmGrace + adGrace + 1 + built.detector.calibration.target;
}
