// protobufjs reads 64-bit varints exactly (as Long objects of the `long` package, its own
// dependency) only while `util.Long` is set, and the generated module's prototypes take
// their defaults (plain 0 or Long 0) when it loads. So: Long off while it loads (defaults
// are numbers), on for reading (exact values; uint64.ts turns them into numbers or bigints).
// Imported by v1.ts before the generated module.
import protobuf from 'protobufjs/minimal.js';

/** What we use of the `long` package's class (protobufjs types it as a bare constructor). */
export interface LongValue {
  toUnsigned(): LongValue;
  toString(): string;
}
interface LongClass {
  isLong(value: unknown): value is LongValue;
  fromString(text: string, unsigned: boolean): LongValue;
}

const Long = protobuf.util.Long as unknown as LongClass | undefined;
protobuf.util.Long = undefined as unknown as typeof protobuf.util.Long;
protobuf.configure();

/** Call once the generated module has loaded: from then on 64-bit varints decode exactly. */
export function readUint64Exactly(): void {
  if (!Long) throw new Error("protobufjs has no Long implementation (the 'long' package): 64-bit fields cannot be read exactly");
  protobuf.util.Long = Long as unknown as typeof protobuf.util.Long;
  protobuf.configure();
}

export function isLong(value: unknown): value is LongValue {
  return Long?.isLong(value) === true;
}

/** An exact unsigned 64-bit value for the encoder. */
export function unsignedLong(value: bigint): LongValue {
  if (!Long) throw new Error("protobufjs has no Long implementation (the 'long' package)");
  return Long.fromString(value.toString(), true);
}
