import { PROTOCOL_VERSION, type IHelloEvent } from '../../proto/builder.js';
import type { Logger } from '../../core/progress.js';
import { BuilderError } from '../../proto/errors.js';
import { FrameBudget, MAX_FRAME_WIRE_BYTES } from '../../proto/frames.js';
import { PACKAGE_VERSION } from '../../core/version.js';
import { disposeAllWorkAreas } from '../workarea.js';
import { ConversionSlot } from './conversion.js';
import { formatListenAddress, listen, type ListenAddress } from './listen.js';
import { Session } from './session.js';
import type { CapabilitiesProvider, Converter } from './types.js';

export interface AgentServerOptions {
  listen: ListenAddress;
  /** Absolute, symlink-free, existing directory the disks are written to (the source volume). */
  outputDir: string;
  workDir?: string;
  converter: Converter;
  /** Probed once at start; announced in every hello. */
  capabilities: CapabilitiesProvider;
  /** For requests with timeout_seconds = 0. Default 1800. */
  defaultTimeoutSeconds?: number;
  /** Default 30 000. */
  handshakeTimeoutMs?: number;
  /** A frame whose first byte arrived must be complete within this time (TIMEOUT). Default 30 000. */
  frameTimeoutMs?: number;
  /** Bytes of unfinished frames all connections together may hold (BUSY beyond). Default DEFAULT_FRAME_BUDGET_BYTES. */
  frameBudgetBytes?: number;
  /** How long an aborted pipeline may take to stop before its Error is sent anyway. Default 30 000. */
  abortGraceMs?: number;
  /** Permissions of a unix:PATH socket. Default 0600. */
  socketMode?: number;
  socatPath?: string;
  log: Logger;
}

export interface AgentServer {
  readonly address: string;
  /**
   * Graceful stop: no new connections, the running conversion is cancelled and answered
   * (CANCELLED) once its pipeline has cleaned up, then every connection is closed. A
   * pipeline that ignores the abort past the grace periods is left running, but every
   * work area of this process is disposed (unmounted, removed) before close() resolves.
   */
  close(): Promise<void>;
}

/**
 * Two largest frames: a host's requests are a few KiB, and one connection may still send a
 * 4 MiB one while another holds as much. Without a budget, 100 connections holding
 * 4 MiB - 1 each grew the agent by 511 MiB (docs/faults.md).
 */
export const DEFAULT_FRAME_BUDGET_BYTES = 2 * MAX_FRAME_WIRE_BYTES;

/** How long close() waits for clients to hang up after their connections were ended. */
const DRAIN_MS = 2000;

export async function startAgentServer(options: AgentServerOptions): Promise<AgentServer> {
  const capabilities = typeof options.capabilities === 'function' ? await options.capabilities() : options.capabilities;
  const hello: IHelloEvent = {
    protocol_version: PROTOCOL_VERSION,
    agent_version: PACKAGE_VERSION,
    erofs_utils_version: capabilities.erofsUtilsVersion,
    compressions: capabilities.compressions,
    formats: capabilities.formats,
  };
  const slot = new ConversionSlot({
    converter: options.converter,
    outputDir: options.outputDir,
    workDir: options.workDir,
    defaultTimeoutSeconds: options.defaultTimeoutSeconds ?? 1800,
    abortGraceMs: options.abortGraceMs ?? 30_000,
    log: options.log,
  });
  const sessions = new Set<Session>();
  let connections = 0;
  const context = {
    slot,
    hello,
    handshakeTimeoutMs: options.handshakeTimeoutMs ?? 30_000,
    frameLimits: { budget: new FrameBudget(options.frameBudgetBytes ?? DEFAULT_FRAME_BUDGET_BYTES), frameTimeoutMs: options.frameTimeoutMs ?? 30_000 },
    log: options.log,
  };

  const listener = await listen(
    options.listen,
    (socket) => {
      connections += 1;
      const session = new Session(socket, context, `connection #${connections}`);
      sessions.add(session);
      void session.closed.then(() => sessions.delete(session));
    },
    { log: options.log, ...(options.socketMode === undefined ? {} : { socketMode: options.socketMode }), ...(options.socatPath ? { socatPath: options.socatPath } : {}) },
  );

  let closing: Promise<void> | undefined;
  return {
    address: formatListenAddress(options.listen),
    close: () =>
      (closing ??= (async () => {
        await listener.close();
        const stopped = await slot.abortAndWait(new BuilderError('CANCELLED', 'cancelled: the agent is shutting down'));
        // The last resort for a pipeline that ignores its abort: its tmpfs must not outlive the agent.
        if (!stopped) await disposeAllWorkAreas();
        for (const session of sessions) session.close();
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([listener.drained(), new Promise((resolve) => (timer = setTimeout(resolve, DRAIN_MS)))]);
        clearTimeout(timer);
      })()),
  };
}
