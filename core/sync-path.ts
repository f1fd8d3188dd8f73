import { open } from 'node:fs/promises';

/** fsync of a file or a directory (a rename is durable only once its directory is synced). */
export async function syncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
