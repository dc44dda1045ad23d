import fs from 'node:fs';
import path from 'node:path';
import { UserError } from 'redix-server';
import { formatManifest, ManifestError, parseManifest, type AofManifest } from './manifest';

/**
 * The AOF directory (`<dir>/<appenddirname>`) and Redis 7's file naming in it:
 * `<appendfilename>.<seq>.base.aof`, `<appendfilename>.<seq>.incr.aof`,
 * `<appendfilename>.manifest`, and the temporary names used while switching.
 */
export class AofDirectory {
  /** Absolute path of the AOF directory. */
  readonly path: string;

  constructor(
    /** The server's working directory (`dir`). */
    readonly workDir: string,
    readonly dirName: string,
    readonly fileName: string,
  ) {
    if (fileName === '' || fileName.includes('/')) throw new UserError(`appendfilename can't be a path, just a filename (got "${fileName}")`);
    if (dirName === '' || dirName.includes('/')) throw new UserError(`appenddirname can't be a path, just a directory name (got "${dirName}")`);
    this.path = path.resolve(workDir, dirName);
  }

  get manifestName(): string {
    return `${this.fileName}.manifest`;
  }

  get manifestPath(): string {
    return this.file(this.manifestName);
  }

  /** Where writes go while AOF is being switched on, before the first base exists. */
  get tempIncrName(): string {
    return `temp-${this.fileName}.incr`;
  }

  /** `.base.rdb` when the base is written in RDB format (aof-use-rdb-preamble yes). */
  baseName(seq: number, rdb: boolean): string {
    return `${this.fileName}.${seq}.base.${rdb ? 'rdb' : 'aof'}`;
  }

  incrName(seq: number): string {
    return `${this.fileName}.${seq}.incr.aof`;
  }

  /** The temporary file a rewrite writes its base into (in `dir`, like Redis). */
  rewriteTempPath(): string {
    return path.resolve(this.workDir, `temp-rewriteaof-bg-${process.pid}.aof`);
  }

  file(name: string): string {
    return path.join(this.path, name);
  }

  exists(): boolean {
    return fs.existsSync(this.path);
  }

  /** Creates the directory if missing; refuses with Redis's message (and strerror text) if it can't. */
  ensure(): void {
    let problem: string | null = null;
    try {
      fs.mkdirSync(this.path, { recursive: true });
      if (!fs.statSync(this.path).isDirectory()) problem = 'Not a directory';
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // mkdir over a file says EEXIST; Redis then fails to use it as a directory.
      problem = code === 'EEXIST' || code === 'ENOTDIR' ? 'Not a directory' : code === 'EACCES' ? 'Permission denied' : code === 'ENOENT' ? 'No such file or directory' : (e as Error).message;
    }
    if (problem !== null) throw new UserError(`Can't open or create append-only dir ${this.path}: ${problem}`);
  }

  /** The manifest on disk, or null when there is none. Throws UserError when it is malformed. */
  readManifest(): AofManifest | null {
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(this.manifestPath);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new UserError(`Fatal error: can't open the AOF manifest file ${this.manifestPath} for reading: ${(e as Error).message}`);
    }
    try {
      return parseManifest(bytes);
    } catch (e) {
      if (!(e instanceof ManifestError)) throw e;
      const where = e.lineNumber > 0 ? ` (line ${e.lineNumber}: '${e.line.trimEnd()}')` : '';
      throw new UserError(`AOF manifest file ${this.manifestPath} is invalid: ${e.message}${where}`);
    }
  }

  /** Writes the manifest atomically: temp file, fsync, rename, fsync of the directory. */
  writeManifest(m: AofManifest): void {
    const temp = this.file(`temp-${this.manifestName}`);
    const fd = fs.openSync(temp, 'w', 0o644);
    try {
      writeAll(fd, Buffer.from(formatManifest(m), 'utf8'));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, this.manifestPath);
    syncDirectory(this.path);
  }

  /** Size in bytes of a file in the directory, or -1 when it is missing. */
  size(name: string): number {
    try {
      return fs.statSync(this.file(name)).size;
    } catch {
      return -1;
    }
  }
}

/** write(2) until every byte is written (short writes are retried, as Redis's aofWrite does). */
export function writeAll(fd: number, bytes: Buffer): void {
  let off = 0;
  while (off < bytes.length) off += fs.writeSync(fd, bytes, off, bytes.length - off);
}

/** Makes a rename or a new file in `dir` durable. */
export function syncDirectory(dir: string): void {
  let fd = -1;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Some file systems refuse fsync on directories; the rename is still atomic.
  } finally {
    if (fd >= 0) fs.closeSync(fd);
  }
}
