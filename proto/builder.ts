import { BuilderError } from './errors.js';
import { v1, type erofsbuilder } from './v1.js';

export const PROTOCOL_VERSION = v1.ProtocolVersion.PROTOCOL_VERSION_CURRENT;

export const Request = v1.Request;
export const Event = v1.Event;
export const DiskFormat = v1.DiskFormat;
export const Phase = v1.Phase;
export const LogLevel = v1.Log.Level;

export type IRequest = erofsbuilder.v1.IRequest;
export type IEvent = erofsbuilder.v1.IEvent;
export type IConvertRequest = erofsbuilder.v1.IConvertRequest;
export type IRegistryOptions = erofsbuilder.v1.IRegistryOptions;
export type IResult = erofsbuilder.v1.IResult;
export type IProgress = erofsbuilder.v1.IProgress;
export type IImageConfig = erofsbuilder.v1.IImageConfig;
export type IHelloEvent = erofsbuilder.v1.IHelloEvent;
export type DiskFormatValue = erofsbuilder.v1.DiskFormat;
export type PhaseValue = erofsbuilder.v1.Phase;

export function encodeRequest(message: IRequest): Uint8Array {
  return Request.encode(message).finish();
}

export function encodeEvent(message: IEvent): Uint8Array {
  return Event.encode(message).finish();
}

export function decodeRequest(body: Uint8Array): erofsbuilder.v1.Request {
  return decodeOrThrow(() => Request.decode(body), 'request');
}

export function decodeEvent(body: Uint8Array): erofsbuilder.v1.Event {
  return decodeOrThrow(() => Event.decode(body), 'event');
}

function decodeOrThrow<T>(decode: () => T, what: string): T {
  try {
    return decode();
  } catch (err) {
    throw new BuilderError('PROTOCOL_ERROR', `undecodable ${what} frame: ${(err as Error).message}`, { cause: err });
  }
}
