import type { Detector } from '../detect/detector.js';
import { BATCH_SIZE, ParallelKitNET, type ParallelResult, type ResultHandler } from '../kitnet/parallel.js';

/**
 * Worker threads start only after this many items were scored on this thread once the feature map
 * existed: starting them costs ~0.1 s, which small captures and short pipes should not pay.
 */
const PARALLEL_AFTER = 4096;
/** While a live input is quiet, finished batches are collected this often. */
const POLL_MS = 100;

/** Writes the row of the item whose labels are at `slot`, with a worker's result or null. */
export type RowEmitter = (slot: number, result: ParallelResult | null) => void;

/**
 * `kitsune score`'s KitNET on worker threads. Until the feature map exists (and with no threads) each
 * item (packet or feature row) is scored on this thread; from then on, with `threads` > 0, KitNET
 * runs on workers in batches while this thread reads the next items, and rows are written in order
 * as batches finish. A timer, and the caller between input chunks (`collect`), send partial batches
 * and write finished rows, so a pipe's rows still appear within a second.
 */
export class ThreadedScoring {
  private parallel: ParallelKitNET | undefined;
  private scoredWithMap = 0;
  private readonly onResult: ResultHandler;
  private readonly poll: NodeJS.Timeout;

  constructor(
    private readonly detector: Detector,
    private readonly threads: number,
    /** Byte between formatted score cells, -1 for none; `explain`: see ParallelKitNET. */
    private readonly cellSeparator: number,
    private readonly explain: boolean,
    emit: RowEmitter,
  ) {
    // The worker ran the detection step: the detector shows its results.
    this.onResult = (result, slot, position) => {
      detector.decision.show(result.phase, result.rmse, result.logp, result.alert);
      emit(slot * BATCH_SIZE + position, result);
    };
    this.poll = setInterval(() => this.collect(), POLL_MS);
    this.poll.unref();
  }

  /** Where the labels of the item next() was called for go: 0 on this thread, its batch position with workers. */
  slot = 0;

  /**
   * For the next item (the workers start when due): where its features go, then call commit(); or
   * null: score it on this thread. Either way its labels go to `slot`.
   */
  next(): Float64Array | null {
    if (this.parallel === undefined && this.threads > 0 && this.detector.kitnet.phase !== 'map' && this.scoredWithMap++ >= PARALLEL_AFTER) {
      this.parallel = new ParallelKitNET(this.detector.kitnet, this.threads, this.detector.decision.toState(), this.cellSeparator, this.explain);
    }
    const parallel = this.parallel;
    if (parallel === undefined) {
      this.slot = 0;
      return null;
    }
    const { slot, position } = parallel.next();
    this.slot = slot * BATCH_SIZE + position;
    return parallel.nextFeatures();
  }

  /** The item whose features were written is complete. */
  commit(): void {
    this.parallel?.commit(this.onResult);
  }

  /** Sends a partial batch and writes the rows of finished ones. */
  collect(): void {
    this.parallel?.flush(this.onResult);
    this.parallel?.drain(this.onResult, false);
  }

  /** Scores and writes everything in flight, and brings KitNET and the detection step back to the detector. */
  async finish(): Promise<void> {
    clearInterval(this.poll);
    if (this.parallel === undefined) return;
    const { kitnet, decision } = await this.parallel.finish(this.onResult);
    this.detector.kitnet = kitnet;
    this.detector.decision.adoptState(decision);
  }
}
