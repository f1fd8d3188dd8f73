import { BuilderError } from './errors.js';
import { fromWire, toWire } from './uint64.js';
import { v1, type erofsbuilder } from './v1.js';

export const PROTOCOL_VERSION = v1.ProtocolVersion.PROTOCOL_VERSION_CURRENT;

export const Request = v1.Request;
export const Event = v1.Event;
export const DiskFormat = v1.DiskFormat;
export const Phase = v1.Phase;
export const LogLevel = v1.Log.Level;

/** Ping and Pong nonces travel exactly over the whole uint64 range (uint64.ts): bigint, not the generated `number`. */
export interface INonce {
  nonce?: bigint | null;
}
type WithNonce<T, K extends 'ping' | 'pong'> = Omit<T, K> & { [P in K]?: INonce | null };
export type IRequest = WithNonce<erofsbuilder.v1.IRequest, 'ping'>;
export type IEvent = WithNonce<erofsbuilder.v1.IEvent, 'pong'>;
export type RequestMessage = WithNonce<erofsbuilder.v1.Request, 'ping'>;
export type EventMessage = WithNonce<erofsbuilder.v1.Event, 'pong'>;
export type IConvertRequest = erofsbuilder.v1.IConvertRequest;
export type IRegistryOptions = erofsbuilder.v1.IRegistryOptions;
export type IResult = erofsbuilder.v1.IResult;
export type IProgress = erofsbuilder.v1.IProgress;
export type IImageConfig = erofsbuilder.v1.IImageConfig;
export type IHelloEvent = erofsbuilder.v1.IHelloEvent;
export type DiskFormatValue = erofsbuilder.v1.DiskFormat;
export type PhaseValue = erofsbuilder.v1.Phase;

export function encodeRequest(message: IRequest): Uint8Array {
  return Request.encode(toWire(message, 'request') as erofsbuilder.v1.IRequest).finish();
}

export function encodeEvent(message: IEvent): Uint8Array {
  return Event.encode(toWire(message, 'event') as erofsbuilder.v1.IEvent).finish();
}

export function decodeRequest(body: Uint8Array): RequestMessage {
  return fromWire(decodeOrThrow(() => Request.decode(body), 'request') as RequestMessage, 'request');
}

export function decodeEvent(body: Uint8Array): EventMessage {
  return fromWire(decodeOrThrow(() => Event.decode(body), 'event') as EventMessage, 'event');
}

function decodeOrThrow<T>(decode: () => T, what: string): T {
  try {
    return decode();
  } catch (err) {
    throw new BuilderError('PROTOCOL_ERROR', `undecodable ${what} frame: ${(err as Error).message}`, { cause: err });
  }
}
