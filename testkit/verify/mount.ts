// Loop-mounts a disk image read-only for the length of a callback, and always cleans up.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, realpath, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export type DiskType = 'erofs' | 'ext4';

export interface MountOptions {
  /** Filesystem of the image; default 'erofs'. */
  type?: DiskType;
  /** How long to keep retrying an unmount that fails with "target is busy". Default 3000 ms. */
  busyTimeoutMs?: number;
}

const MOUNT_OPTIONS: Record<DiskType, string> = {
  erofs: 'loop,ro',
  // noload: a read-only mount must not replay the journal (that would write to the image).
  ext4: 'loop,ro,noload',
};

/** Why loop mounts cannot work here, or undefined when they can (tests skip visibly on a reason). */
export function mountUnavailableReason(): string | undefined {
  const uid = process.getuid?.();
  return uid === 0 ? undefined : `loop mounts need root (running as uid ${uid ?? 'unknown'})`;
}

function stderrOf(err: unknown): string {
  const stderr = (err as { stderr?: unknown }).stderr;
  return (typeof stderr === 'string' && stderr.trim()) || (err instanceof Error ? err.message : String(err));
}

export interface MountEntry {
  mountpoint: string;
  /** e.g. /dev/loop3, or the name given to a tmpfs. */
  source: string;
  fstype: string;
  /** Per-mount and superblock options, comma-separated (e.g. "rw,noatime,size=8192k,mode=700"). */
  options: string;
}

/** The mount table of this process's namespace, from /proc/self/mountinfo. */
export async function mountTable(): Promise<MountEntry[]> {
  const info = await readFile('/proc/self/mountinfo', 'utf8');
  const entries: MountEntry[] = [];
  for (const line of info.split('\n')) {
    const fields = line.split(' ');
    const separator = fields.indexOf('-');
    if (separator < 0 || fields[4] === undefined) continue;
    entries.push({
      // mountinfo escapes space, tab, newline and backslash as \ooo.
      mountpoint: fields[4].replace(/\\([0-7]{3})/g, (_m, octal: string) => String.fromCharCode(parseInt(octal, 8))),
      source: fields[separator + 2] ?? '',
      fstype: fields[separator + 1] ?? '',
      options: `${fields[5] ?? ''},${fields[separator + 3] ?? ''}`,
    });
  }
  return entries;
}

/** The source device (e.g. /dev/loop3) mounted at `mountpoint`. */
async function mountSource(mountpoint: string): Promise<string | undefined> {
  return (await mountTable()).find((entry) => entry.mountpoint === mountpoint)?.source;
}

/** Loop devices currently backed by `image` (losetup -j). */
export async function loopDevicesOf(image: string): Promise<string[]> {
  const { stdout } = await run('losetup', ['-j', image]);
  return stdout
    .split('\n')
    .filter((line) => line.includes(':'))
    .map((line) => line.slice(0, line.indexOf(':')));
}

export async function isMounted(mountpoint: string): Promise<boolean> {
  return (await mountSource(mountpoint)) !== undefined;
}

async function unmount(mountpoint: string, busyTimeoutMs: number): Promise<void> {
  const deadline = Date.now() + busyTimeoutMs;
  for (;;) {
    try {
      await run('umount', [mountpoint]);
      return;
    } catch (err) {
      const busy = /busy/i.test(stderrOf(err));
      if (busy && Date.now() < deadline) {
        await new Promise((done) => setTimeout(done, 100));
        continue;
      }
      if (busy) {
        // Detach it from the namespace anyway; the kernel frees it when the last user goes.
        await run('umount', ['--lazy', mountpoint]).catch(() => undefined);
        throw new Error(`${mountpoint} stayed busy for ${busyTimeoutMs} ms; unmounted lazily, the loop device frees when its users exit`, { cause: err });
      }
      throw new Error(`umount ${mountpoint} failed: ${stderrOf(err)}`, { cause: err });
    }
  }
}

async function cleanup(mountpoint: string, image: string, device: string | undefined, busyTimeoutMs: number): Promise<void> {
  try {
    if (await isMounted(mountpoint)) await unmount(mountpoint, busyTimeoutMs);
  } finally {
    await rmdir(mountpoint).catch(() => undefined);
  }
  // mount -o loop sets autoclear, so the device normally goes with the unmount; make sure.
  if (device && (await loopDevicesOf(image)).includes(device)) {
    await run('losetup', ['-d', device]).catch((err: unknown) => {
      throw new Error(`losetup -d ${device} failed: ${stderrOf(err)}`, { cause: err });
    });
  }
}

/**
 * Mounts `imagePath` read-only on a fresh temporary directory, runs
 * `fn(mountpoint)`, then always unmounts (retrying briefly while busy),
 * removes the directory and makes sure the loop device is detached, also
 * when `fn` throws. Needs root.
 */
export async function withMountedErofs<T>(imagePath: string, fn: (mountpoint: string) => Promise<T> | T, options: MountOptions = {}): Promise<T> {
  const reason = mountUnavailableReason();
  if (reason) throw new Error(`cannot mount ${imagePath}: ${reason}`);
  const type = options.type ?? 'erofs';
  const busyTimeoutMs = options.busyTimeoutMs ?? 3000;
  const image = resolve(imagePath);
  // Resolved, because /proc/self/mountinfo names mount points by their real path.
  const mountpoint = await realpath(await mkdtemp(join(tmpdir(), `verify-mnt-${type}-`)));
  let device: string | undefined;
  try {
    await run('mount', ['-t', type, '-o', MOUNT_OPTIONS[type], image, mountpoint]);
    device = await mountSource(mountpoint);
  } catch (err) {
    await cleanup(mountpoint, image, device, busyTimeoutMs);
    throw new Error(`mount -t ${type} ${image} failed: ${stderrOf(err)}`, { cause: err });
  }

  let result: T;
  try {
    result = await fn(mountpoint);
  } catch (err) {
    await cleanup(mountpoint, image, device, busyTimeoutMs).catch((cleanupErr: unknown) => {
      console.error(`withMountedErofs: cleanup after a failure also failed: ${String(cleanupErr)}`);
    });
    throw err;
  }
  await cleanup(mountpoint, image, device, busyTimeoutMs);
  return result;
}
