// tsc copies neither protobufjs's generated JavaScript nor the native addon; put them beside
// the compiled code. Argument: the build's out dir (dist for the product, dist-dev for the workshop).
import { cpSync, mkdirSync } from 'node:fs';

const out = process.argv[2] ?? 'dist';
const copies = [
  ['proto/generated/builder.js', `${out}/proto/generated/builder.js`],
  ['agent/native/build/Release/fsextra.node', `${out}/agent/native/build/Release/fsextra.node`],
];
for (const [from, to] of copies) {
  mkdirSync(to.slice(0, to.lastIndexOf('/')), { recursive: true });
  cpSync(from, to);
}
