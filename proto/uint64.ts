// 64-bit integers on the wire (builder.proto declares the contract):
// - nonces are opaque and travel exactly over the whole uint64 range; here they are bigints;
// - every other uint64 (sizes, byte counts, milliseconds) carries at most 2^53-1, the
//   integers a JavaScript or JSON consumer holds exactly. A decoded message with a larger
//   value is refused (PROTOCOL_ERROR), and we never send one (INVALID_ARGUMENT).
// The decoder hands 64-bit values over exactly, as Long objects (long-reads.ts).
import { BuilderError } from './errors.js';
import { isLong, unsignedLong } from './long-reads.js';

/** The largest value a non-nonce uint64 field may carry: 2^53-1. */
export const MAX_UINT64_NUMBER = Number.MAX_SAFE_INTEGER;
const MAX_UINT64 = 2n ** 64n - 1n;
/** Fields that carry opaque 64-bit values, exact, as bigint. */
const EXACT_FIELDS = new Set(['nonce']);

/**
 * A decoded message with its 64-bit values as the contract says: nonces as bigint,
 * everything else as a number, PROTOCOL_ERROR for a value over 2^53-1. In place.
 */
export function fromWire<T extends object>(message: T, what: string): T {
  walk(message, what, (value, key, path) => {
    if (!isLong(value)) return value;
    const exact = BigInt(value.toUnsigned().toString());
    if (EXACT_FIELDS.has(key)) return exact;
    if (exact > BigInt(MAX_UINT64_NUMBER)) {
      throw new BuilderError('PROTOCOL_ERROR', `${path} is ${exact}, over 2^53-1, the most builder.proto allows in this field`);
    }
    return Number(exact);
  });
  return message;
}

/**
 * A copy of a message to encode: bigints become exact 64-bit values; INVALID_ARGUMENT for
 * a number that is not a safe integer (it would not arrive as what it says) or a bigint out of range.
 */
export function toWire<T extends object>(message: T, what: string): T {
  const copy = structuredClone(message);
  walk(copy, what, (value, _key, path) => {
    if (typeof value === 'bigint') {
      if (value < 0n || value > MAX_UINT64) throw new BuilderError('INVALID_ARGUMENT', `${path} is ${value}, outside the uint64 range`);
      return unsignedLong(value);
    }
    if (typeof value === 'number' && !Number.isSafeInteger(value)) {
      throw new BuilderError('INVALID_ARGUMENT', `${path} is ${value}, which cannot be sent exactly (integers up to 2^53-1)`);
    }
    return value;
  });
  return copy;
}

/** Visits every own property of nested messages and arrays, replacing each value by `visit`'s answer. */
function walk(node: object, path: string, visit: (value: unknown, key: string, path: string) => unknown): void {
  for (const [key, value] of Object.entries(node) as [string, unknown][]) {
    const here = `${path}.${key}`;
    const replaced = visit(value, key, here);
    if (replaced !== value) (node as Record<string, unknown>)[key] = replaced;
    else if (typeof value === 'object' && value !== null && !ArrayBuffer.isView(value) && !isLong(value)) walk(value, here, visit);
  }
}
