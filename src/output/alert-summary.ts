import type { ChalkInstance } from 'chalk';
import { pyRepr } from './number.js';

/** The closing report lists at most this many source/destination pairs. */
export const ALERT_GROUPS_SHOWN = 10;

interface AlertGroup {
  src: string;
  dst: string;
  count: number;
  firstTime: number;
  lastTime: number;
  firstIndex: number;
  topScore: number;
}

/**
 * Alerts grouped by source and destination, for the closing report: count, first and last time
 * (packet index when scoring a feature table), top score. Groups are ordered by count, then top
 * score, then first appearance, so the report is deterministic.
 */
export class AlertSummary {
  private readonly groups = new Map<string, AlertGroup>();

  /** `time` NaN (a feature table row): the packet index stands in for it. */
  add(src: string, dst: string, time: number, index: number, rmse: number): void {
    if (Number.isNaN(time)) time = index;
    const key = `${src}\t${dst}`;
    const group = this.groups.get(key);
    if (group === undefined) {
      this.groups.set(key, { src, dst, count: 1, firstTime: time, lastTime: time, firstIndex: index, topScore: rmse });
      return;
    }
    group.count++;
    group.lastTime = time;
    if (rmse > group.topScore) group.topScore = rmse;
  }

  report(paint: ChalkInstance): string {
    if (this.groups.size === 0) return '';
    const groups = [...this.groups.values()].sort(
      (a, b) => b.count - a.count || b.topScore - a.topScore || a.firstIndex - b.firstIndex,
    );
    const lines = [paint.bold('alerts by source and destination (count, first, last, top score):')];
    for (const g of groups.slice(0, ALERT_GROUPS_SHOWN)) {
      lines.push(
        `  ${g.src || '-'} -> ${g.dst || '-'}\t${g.count}\t${pyRepr(g.firstTime)}\t${pyRepr(g.lastTime)}\t${pyRepr(g.topScore)}`,
      );
    }
    if (groups.length > ALERT_GROUPS_SHOWN) lines.push(`  ... and ${groups.length - ALERT_GROUPS_SHOWN} more pairs`);
    return `${lines.join('\n')}\n`;
  }
}
