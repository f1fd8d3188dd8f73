// An ext4 image volume, read with debugfs so the host kernel never mounts a
// filesystem the guest wrote. The path is walked by inode number from the root
// (inode 2): each directory is listed (`ls -p <ino>`), the component looked up
// by exact name, and its type taken from the inode (`stat <ino>`), so debugfs's
// own path resolution (which follows symlinks in the middle) is never used.
// Containment is structural here: debugfs reads only the image's bytes, and all
// of them are the guest's; the symlink and type rules hold the same as for a
// directory volume.
import { open } from 'node:fs/promises';
import { BuilderError } from '../proto/errors.js';
import { debugfsQuery, debugfsStream } from './debugfs.js';
import { checkComponentType, checkSizeRange, DEFAULT_DISK_SIZE_LIMIT, splitDiskPath, type EntryType } from './validate.js';
import type { OpenDiskOptions, Volume, VolumeDisk } from './volume-types.js';
import { EXT4_MAGIC } from '../core/disk-format.js';

const ROOT_INODE = 2;
// `ls -p` line: /ino/mode(octal)/uid/gid/name/size/ (size empty for directories)
const LISTING_LINE = /^\/(\d+)\/[0-7]{6}\/\d+\/\d+\/(.*)\/(\d*)\/$/;
// `stat <ino>` starts "Inode: 17   Type: regular    Mode:  0644 ..." then "User: ... Size: 100000"
const STAT_TYPE = /^Inode: (\d+)\s+Type: ([A-Za-z ]+?)\s+Mode:/;
const STAT_SIZE = /^User:.*\sSize: (\d+)$/m;
const TYPE_NAMES: Record<string, EntryType> = {
  regular: 'regular file',
  directory: 'directory',
  symlink: 'symlink',
  FIFO: 'fifo',
  socket: 'socket',
  'character special': 'character device',
  'block special': 'block device',
};

export async function openExt4ImageVolume(image: string): Promise<Volume> {
  await checkExt4Image(image);
  return { kind: 'ext4-image', location: image, openDisk: (relPath, options) => openDiskInImage(image, relPath, options) };
}

// Superblock (at byte 1024) fields: s_magic, s_feature_compat, s_feature_incompat.
const SUPERBLOCK = 1024;
const MAGIC_AT = 0x38;
const FEATURE_COMPAT_AT = 0x5c;
const FEATURE_INCOMPAT_AT = 0x60;
const COMPAT_HAS_JOURNAL = 0x4;
const INCOMPAT_RECOVER = 0x4;

/**
 * An ext2/3/4 image without a journal. A journaled one is refused: while the guest has it
 * mounted, its metadata writes (the new disk's inode, the directory entry) are committed
 * to the journal and reach their home blocks only at a later checkpoint, so debugfs, which
 * does not replay the journal, sees an older tree (measured in the builder VM: NOT_FOUND
 * for a disk the agent had written and fsynced; docs/builder-vm.md).
 */
async function checkExt4Image(image: string): Promise<void> {
  const file = await open(image, 'r');
  let superblock: Buffer;
  try {
    superblock = Buffer.alloc(FEATURE_INCOMPAT_AT + 4);
    await file.read(superblock, 0, superblock.length, SUPERBLOCK);
  } finally {
    await file.close();
  }
  if (superblock.readUInt16LE(MAGIC_AT) !== EXT4_MAGIC) throw new BuilderError('INVALID_ARGUMENT', `volume ${image} is not an ext2/3/4 image`);
  if ((superblock.readUInt32LE(FEATURE_COMPAT_AT) & COMPAT_HAS_JOURNAL) !== 0) {
    const recovering = (superblock.readUInt32LE(FEATURE_INCOMPAT_AT) & INCOMPAT_RECOVER) !== 0;
    throw new BuilderError(
      'JOURNALED_VOLUME',
      `volume ${image} is ext4 with a journal${recovering ? ' (needs_recovery: the guest has writes in it)' : ''}: ` +
        'the host reads volumes with debugfs, which does not replay the journal, so it could miss what the guest wrote. ' +
        'Make the volume journal-less: mkfs.ext4 -O ^has_journal (scripts/builder-vm.sh does), or tune2fs -O ^has_journal on a clean, unmounted one',
    );
  }
}

interface Ext4Inode {
  inode: number;
  type: EntryType;
  sizeBytes: number;
}

async function openDiskInImage(image: string, relPath: string, options: OpenDiskOptions = {}): Promise<VolumeDisk> {
  const components = splitDiskPath(relPath);
  let found: Ext4Inode = { inode: ROOT_INODE, type: 'directory', sizeBytes: 0 };
  for (const [index, name] of components.entries()) {
    found = await statInode(image, await lookup(image, found.inode, name, relPath), relPath);
    checkComponentType(relPath, components, index, found.type);
  }
  const { inode, sizeBytes } = found;
  checkSizeRange(sizeBytes, options.sizeLimit ?? DEFAULT_DISK_SIZE_LIMIT, `disk ${relPath}`);
  return {
    path: relPath,
    sizeBytes,
    chunks: () => debugfsStream(image, `cat <${inode}>`),
    close: () => Promise.resolve(),
  };
}

/** The inode number of `name` in directory inode `directory`, from its listing. */
async function lookup(image: string, directory: number, name: string, relPath: string): Promise<number> {
  const listing = await debugfsQuery(image, `ls -p <${directory}>`);
  let found: number | undefined;
  for (const line of listing.split('\n')) {
    if (line === '') continue;
    const match = LISTING_LINE.exec(line);
    // A line that does not parse means an entry name with a newline: a listing we cannot trust.
    if (!match) throw new BuilderError('PATH_REJECTED', `disk path ${relPath}: unparseable directory listing line ${JSON.stringify(line.slice(0, 200))}`);
    if (match[2] !== name) continue;
    if (found !== undefined) throw new BuilderError('PATH_REJECTED', `disk path ${relPath}: '${name}' is listed twice`);
    found = Number(match[1]);
  }
  if (found === undefined) throw new BuilderError('NOT_FOUND', `disk path ${relPath}: no '${name}' in the volume image`);
  return found;
}

/** Type and size from the inode itself: a crafted name in a listing cannot lie about these. */
async function statInode(image: string, inode: number, relPath: string): Promise<Ext4Inode> {
  const text = await debugfsQuery(image, `stat <${inode}>`);
  const header = STAT_TYPE.exec(text);
  const size = STAT_SIZE.exec(text);
  if (!header || Number(header[1]) !== inode || !size) {
    throw new BuilderError('PATH_REJECTED', `disk path ${relPath}: unreadable inode ${inode}`);
  }
  return { inode, type: TYPE_NAMES[header[2]!] ?? 'unknown', sizeBytes: Number(size[1]) };
}
