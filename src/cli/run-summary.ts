import type { ChalkInstance } from 'chalk';
import type { Phase } from '../kitnet/kitnet.js';
import { groupDigits } from './terminal.js';

const MS_PER_SECOND = 1000;

/** Counts for the closing line on stderr: packets, phases, alerts and speed. */
export class RunSummary {
  packets = 0;
  alerts = 0;
  private readonly phases: Record<Phase, number> = { map: 0, train: 0, exec: 0 };
  private readonly started = performance.now();

  count(phase: Phase, alert: boolean): void {
    this.packets++;
    this.phases[phase]++;
    if (alert) this.alerts++;
  }

  /** e.g. `kitsune: 25,000 packets (map 1,001, train 9,000, exec 14,999), 12 alerts, 0.41 s, 61,000 packets/s` */
  line(paint: ChalkInstance): string {
    const seconds = (performance.now() - this.started) / MS_PER_SECOND;
    const rate = seconds > 0 ? this.packets / seconds : 0;
    const alerts = `${groupDigits(this.alerts)} alert${this.alerts === 1 ? '' : 's'}`;
    return (
      `kitsune: ${groupDigits(this.packets)} packets (map ${groupDigits(this.phases.map)}, ` +
      `train ${groupDigits(this.phases.train)}, exec ${groupDigits(this.phases.exec)}), ` +
      `${this.alerts > 0 ? paint.red.bold(alerts) : paint.green(alerts)}, ${seconds.toFixed(2)} s, ${groupDigits(rate)} packets/s\n`
    );
  }
}
