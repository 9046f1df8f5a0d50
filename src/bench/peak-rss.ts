import { readFileSync } from 'node:fs';

const KIB = 1024;

/**
 * Peak resident set size of this process, in MiB: VmHWM from /proc/self/status on Linux. Not
 * process.resourceUsage().maxRSS: Linux carries ru_maxrss across fork and exec, so a child started
 * by a large benchmark process would report at least its parent's RSS at the fork.
 */
export function peakRssMiB(): number {
  let kib = process.resourceUsage().maxRSS;
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match !== null) kib = Number(match[1]);
  } catch {
    // Not Linux: ru_maxrss it is.
  }
  return kib / KIB;
}
