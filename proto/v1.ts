// The only importer of the generated code: long-reads.ts loads first (the generated
// prototypes take plain-number defaults) and switches exact 64-bit reads on after.
import { readUint64Exactly } from './long-reads.js';
import { erofsbuilder } from './generated/builder.js';

readUint64Exactly();

export const v1 = erofsbuilder.v1;
export type { erofsbuilder };
