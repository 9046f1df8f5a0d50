import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { PcapWriter } from './pcap-writer.js';
import { PcapngWriter } from './pcapng-writer.js';
import { benignAttack, FIXTURE_START_US, WEB_OPEN_PORTS, type BenignAttackOptions, type BenignAttackResult } from './scenarios.js';
import { TeeSink } from './sink.js';
import { SYNTH_VERSION } from './version.js';

/**
 * The committed fixtures: fixtures/sample.pcap and fixtures/sample.pcapng (the same packets of the
 * `benign+attack` scenario), fixtures/sample.labels.json (where the attacks are, which grace periods
 * suit the file), and fixtures/tiny.pcap (+ tiny.labels.json), a ~200-packet version for fast tests.
 * Everything is a pure function of the options below: regenerating gives byte-identical files.
 */
export const SAMPLE_OPTIONS: BenignAttackOptions = {
  seed: 0x4b175e,
  benignPackets: 7500,
  scanPorts: 1024,
  floodSyns: 700,
  tailPackets: 300,
  startUs: FIXTURE_START_US,
};

export const TINY_OPTIONS: BenignAttackOptions = {
  seed: 0x7e1e,
  benignPackets: 110,
  scanPorts: 25,
  floodSyns: 12,
  tailPackets: 10,
  startUs: FIXTURE_START_US,
};

/** Grace periods for `kitsune score fixtures/sample.pcap --fm-grace F --ad-grace A`. */
export const SAMPLE_FM_GRACE = 500;
export const SAMPLE_AD_GRACE = 4000;
/** Small enough for the tiny capture: scoring starts before its attack. */
export const TINY_FM_GRACE = 20;
export const TINY_AD_GRACE = 80;

export const FIXTURE_FILES = ['sample.pcap', 'sample.pcapng', 'sample.labels.json', 'tiny.pcap', 'tiny.labels.json'] as const;

export interface FixturesReport {
  sample: BenignAttackResult;
  tiny: BenignAttackResult;
}

export function generateFixtures(dir: string): FixturesReport {
  const pcap = new PcapWriter(path.join(dir, 'sample.pcap'));
  const pcapng = new PcapngWriter(path.join(dir, 'sample.pcapng'));
  const sample = benignAttack(new TeeSink([pcap, pcapng]), SAMPLE_OPTIONS);
  pcap.close();
  pcapng.close();
  writeFileSync(path.join(dir, 'sample.labels.json'), labelsJson(sample, SAMPLE_OPTIONS, ['sample.pcap', 'sample.pcapng'], SAMPLE_FM_GRACE, SAMPLE_AD_GRACE));

  const tinyPcap = new PcapWriter(path.join(dir, 'tiny.pcap'));
  const tiny = benignAttack(tinyPcap, TINY_OPTIONS);
  tinyPcap.close();
  writeFileSync(path.join(dir, 'tiny.labels.json'), labelsJson(tiny, TINY_OPTIONS, ['tiny.pcap'], TINY_FM_GRACE, TINY_AD_GRACE));
  return { sample, tiny };
}

function labelsJson(r: BenignAttackResult, o: BenignAttackOptions, files: string[], fm: number, ad: number): string {
  const firstScored = fm + ad + 1;
  if (firstScored >= r.attackStartIndex) throw new Error(`grace periods ${fm} + ${ad} reach into the attack at ${r.attackStartIndex}`);
  const labels = {
    generator: 'kitsune synth (src/synth/fixtures.ts)',
    synthVersion: SYNTH_VERSION,
    scenario: 'benign+attack',
    seed: o.seed,
    files,
    packets: r.packets,
    durationSeconds: r.durationUs / 1e6,
    attackStartIndex: r.attackStartIndex,
    grace: { fmGrace: fm, adGrace: ad, firstScoredIndex: firstScored },
    benignCalibration: { first: firstScored, last: r.attackStartIndex - 1 },
    attacker: r.hosts.attacker,
    victim: { ...r.hosts.web, openPorts: WEB_OPEN_PORTS },
    attacks: {
      portScan: { ports: `1-${o.scanPorts}`, from: r.hosts.attacker, ...r.scan },
      synFlood: {
        syns: o.floodSyns,
        dstPort: 80,
        from: `spoofed IPv4 sources behind the gateway (eth.src ${r.hosts.gateway.mac})`,
        ...r.flood,
      },
    },
    hosts: r.hosts,
  };
  // Index ranges stay on one line each.
  return `${JSON.stringify(labels, null, 2).replace(/\[\s+(\d+),\s+(\d+)\s+\]/g, '[$1, $2]')}\n`;
}
