// The only importer of the generated code, so that long-as-number runs first.
import './long-as-number.js';
import { erofsbuilder } from './generated/builder.js';

export const v1 = erofsbuilder.v1;
export type { erofsbuilder };
