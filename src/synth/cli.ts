import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBenchCapture, ensureServerManyClientsCapture, ensureSpoofedCapture } from './bench-capture.js';
import { generateFixtures } from './fixtures.js';

/**
 * `node dist/synth/cli.js fixtures [dir]` regenerates the committed fixtures (default: fixtures/ at
 * the repository root); `bench`, `server-many-clients` and `spoofed` make sure the cached benchmark
 * captures exist in .bench-cache/ and print their paths.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

async function main(argv: string[]): Promise<void> {
  const [command, arg] = argv;
  const started = performance.now();
  switch (command) {
    case 'fixtures': {
      const dir = arg ?? path.join(ROOT, 'fixtures');
      const { sample, tiny } = generateFixtures(dir);
      console.log(`${dir}: sample ${sample.packets} packets (attack from ${sample.attackStartIndex}), tiny ${tiny.packets} packets`);
      break;
    }
    case 'bench':
      console.log(await ensureBenchCapture(arg ? { packets: Number(arg) } : {}));
      break;
    case 'server-many-clients':
      console.log(await ensureServerManyClientsCapture(arg ? { clients: Number(arg) } : {}));
      break;
    case 'spoofed':
      console.log(await ensureSpoofedCapture());
      break;
    default:
      console.error('usage: node dist/synth/cli.js fixtures [dir] | bench [packets] | server-many-clients [clients] | spoofed');
      process.exitCode = 2;
      return;
  }
  console.error(`done in ${((performance.now() - started) / 1000).toFixed(2)} s`);
}

await main(process.argv.slice(2));
