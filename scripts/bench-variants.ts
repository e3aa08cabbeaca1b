/**
 * Candidate U-Net topologies for the browser, timed in tfjs-wasm under Node (one thread), with
 * random weights of the right shapes (speed does not depend on their values): how many times
 * cheaper per forward than the shipped blur network. Ratios from one run; quality needs a
 * training run per candidate (docs/design.md, "A network built for the browser").
 *   npx tsx scripts/bench-variants.ts [--repeats 7] [--size 128] [--batch 2]
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { parseArgs } from 'node:util';
import { expectedWeights, type UNetTopology } from '../src/core/model/manifest';
import { UNet } from '../src/core/model/unet';

const { values } = parseArgs({ options: { repeats: { type: 'string', default: '7' }, size: { type: 'string', default: '128' }, batch: { type: 'string', default: '2' } } });
const repeats = Number(values.repeats);
const size = Number(values.size);
const batch = Number(values.batch);

const CANDIDATES: { name: string; channels: number[]; spaceToDepth?: 1 | 2 }[] = [
  { name: 'plain (blur before 2026-12-01, decolorize before 2026-12-02)', channels: [32, 64, 128, 128] },
  { name: 'plain small (pixelate, inpaint, snow, noise before 2026-12-02)', channels: [24, 48, 96, 96] },
  { name: 'space-to-depth', channels: [64, 128, 128], spaceToDepth: 2 },
  { name: 'space-to-depth', channels: [48, 96, 128], spaceToDepth: 2 },
  { name: 'space-to-depth (every restorer since 2026-12-03)', channels: [48, 96, 128, 128], spaceToDepth: 2 },
  { name: 'space-to-depth', channels: [64, 128, 128, 128], spaceToDepth: 2 },
  { name: 'space-to-depth', channels: [32, 64, 96, 96], spaceToDepth: 2 },
  { name: 'space-to-depth', channels: [32, 64, 128, 128], spaceToDepth: 2 },
  // For the small models (then on 24-48-96-96): candidates at about half their cost.
  { name: 'space-to-depth', channels: [36, 72, 96, 96], spaceToDepth: 2 },
  { name: 'space-to-depth', channels: [48, 96, 96, 96], spaceToDepth: 2 },
];

await tf.setBackend('wasm');
await tf.ready();
const x = tf.randomUniform([batch, size, size, 3], -1, 1) as tf.Tensor4D;
const nets = CANDIDATES.map((c) => {
  const topology: UNetTopology = { architecture: 'unet', channels: c.channels, embedDim: 64, timeDim: 128, T: 40, ...(c.spaceToDepth ? { spaceToDepth: c.spaceToDepth } : {}) };
  const weights = new Map([...expectedWeights(topology)].map(([name, shape]) => [name, tf.randomNormal(shape, 0, 0.05)]));
  return new UNet(topology, weights);
});
const times: number[][] = nets.map(() => []);
for (const net of nets) {
  const warm = net.predict(x, 20);
  await warm.data();
  warm.dispose();
}
// Interleaved, so a change in the machine's load hits every candidate alike.
for (let r = 0; r < repeats; r++) {
  for (let i = 0; i < nets.length; i++) {
    const t0 = performance.now();
    const y = nets[i]!.predict(x, 20);
    await y.data();
    times[i]!.push(performance.now() - t0);
    y.dispose();
  }
}
const median = (a: number[]) => [...a].sort((p, q) => p - q)[Math.floor(a.length / 2)]!;
const base = median(times[0]!);
console.log(`tfjs-wasm (Node, 1 thread), ${size}×${size}, batch ${batch}, median of ${repeats} interleaved runs:`);
console.log('| network | channels | space-to-depth | parameters | ms | × cheaper than the first row |\n|---|---|---|---|---|---|');
CANDIDATES.forEach((c, i) => {
  const ms = median(times[i]!);
  console.log(`| ${c.name} | ${c.channels.join(', ')} | ${c.spaceToDepth ?? 1} | ${nets[i]!.parameterCount} | ${ms.toFixed(0)} | ${(base / ms).toFixed(2)} |`);
});
