// Runs one external filesystem tool (mkfs.erofs, mkfs.ext4, debugfs) to
// completion: stdout discarded or collected, the tail of stderr kept for the
// error message, killed (SIGKILL) when the caller's AbortSignal fires or this
// process dies (parent-death.ts).
import { spawn } from 'node:child_process';
import { BuilderError } from '../../proto/errors.js';
import { diesWithAgent } from './parent-death.js';
import { toolEnv } from '../../core/tool-env.js';

const STDERR_KEEP_BYTES = 16 * 1024;
/** Terminal escapes (mkfs.erofs redraws its progress line with ESC[K). */
const ANSI_ESCAPE = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*[A-Za-z]`, 'g');

export interface RunOptions {
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
  /** Collect stdout (for probes); otherwise it is discarded. */
  captureStdout?: boolean;
  /** Written to the tool's stdin (then closed); stdin is empty otherwise. */
  input?: string;
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  /** The last STDERR_KEEP_BYTES of stderr. */
  stderr: string;
}


/**
 * Runs `command args` and resolves with its exit status, whatever it is. Rejects
 * only when the tool cannot be started (NOT_FOUND-like spawn errors come back as
 * the raw errno error) or with CANCELLED after killing it on abort.
 */
export function runTool(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const { signal } = options;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(cancelled(command, signal));
      return;
    }
    const env = toolEnv(options.env);
    const tied = diesWithAgent(command, args, env);
    const child = spawn(tied.command, tied.args, {
      env,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', options.captureStdout ? 'pipe' : 'ignore', 'pipe'],
    });
    child.stdin?.on('error', () => undefined); // a tool that exits early closes the pipe; its exit status tells
    child.stdin?.end(options.input);
    const stdout: Buffer[] = [];
    let stderr = Buffer.alloc(0);
    child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = Buffer.concat([stderr, chunk]);
      if (stderr.length > 2 * STDERR_KEEP_BYTES) stderr = stderr.subarray(stderr.length - STDERR_KEEP_BYTES);
    });
    const onAbort = (): void => {
      child.kill('SIGKILL');
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    child.once('error', (err) => {
      signal?.removeEventListener('abort', onAbort);
      reject(err);
    });
    child.once('close', (code, exitSignal) => {
      signal?.removeEventListener('abort', onAbort);
      if (signal?.aborted) {
        reject(cancelled(command, signal));
        return;
      }
      resolve({
        code,
        signal: exitSignal,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: stderr.subarray(Math.max(0, stderr.length - STDERR_KEEP_BYTES)).toString('utf8'),
      });
    });
  });
}

function cancelled(command: string, signal: AbortSignal): BuilderError {
  const reason: unknown = signal.reason;
  if (reason instanceof BuilderError) return reason;
  return new BuilderError('CANCELLED', `${command} cancelled`, { cause: reason });
}

/** The last `count` non-empty lines of a tool's stderr, for error messages. */
export function lastLines(text: string, count = 8): string {
  return text
    .replace(ANSI_ESCAPE, '')
    .split(/[\r\n]+/)
    .map((line) => line.trim())
    .filter(Boolean)
    .slice(-count)
    .join('\n');
}

/** How a tool ended, for messages: "exit code 1" or "signal SIGSEGV". */
export function describeExit(result: RunResult): string {
  return result.signal ? `signal ${result.signal}` : `exit code ${result.code ?? '?'}`;
}

/** NO_SPACE when the tool ran out of room, MKFS_FAILED with its last stderr lines otherwise. */
export function toolFailure(tool: string, exit: string, stderr: string): BuilderError {
  const tail = lastLines(stderr);
  if (/no space left on device|\[Error 28\]|ENOSPC/i.test(stderr)) {
    return new BuilderError('NO_SPACE', `${tool} ran out of space in the output directory (${exit}): ${tail}`);
  }
  return new BuilderError('MKFS_FAILED', `${tool} failed (${exit}): ${tail || 'no error output'}`);
}
