// tsc copies neither protobufjs's generated JavaScript nor the native addon; put them beside the compiled code.
import { cpSync, mkdirSync } from 'node:fs';

const copies = [
  ['proto/generated/builder.js', 'dist/proto/generated/builder.js'],
  ['agent/native/build/Release/fsextra.node', 'dist/agent/native/build/Release/fsextra.node'],
];
for (const [from, to] of copies) {
  mkdirSync(to.slice(0, to.lastIndexOf('/')), { recursive: true });
  cpSync(from, to);
}
