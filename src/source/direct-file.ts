/**
 * A file read once from start to end, with O_DIRECT where the system allows it. A corpus is read
 * once per ingest, so keeping its pages in the page cache helps nobody; and on a VM whose free
 * memory the host reclaims (free page reporting), each new page-cache page costs ~10 µs of kernel
 * time: reading the 1.67 GB cables.csv cold took 3.8 s of system time buffered against 0.16 s
 * with O_DIRECT (`dd`, here). Direct reads need aligned offsets, sizes and memory, so blocks go
 * into page-aligned stages (one copied from while the next ones are read ahead, since direct
 * reads get no kernel read-ahead) and callers read any range out of them. Where the file system
 * refuses O_DIRECT (tmpfs before Linux 6.6, some overlays) or a direct read fails with EINVAL,
 * the file is read through the page cache as before.
 */
import { constants } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { readInto } from './common.js';

// The project's `lib` has no DOM types; this is the one part of WebAssembly used here.
declare const WebAssembly: { Memory: new (d: { initial: number }) => { buffer: ArrayBuffer } };

/** Alignment that satisfies every common block device and file system. */
const BLOCK = 4096;
/** Bytes per direct read; a multiple of BLOCK and of WebAssembly's 64 KiB page. */
export const STAGE_BYTES = 4 * 1024 * 1024;
/**
 * Stages in all: one copied from, the rest read ahead. A direct read waits behind the writeback
 * of the archive being written (an fsync can queue hundreds of MB); with one stage ahead a full
 * ingest stalled on its reads for ~2.5 s of both cores, 28 MiB ahead (~1.5 s of ingest) absorbs it.
 */
const STAGES = 8;

export interface StreamFile {
  /** Reads up to `size` bytes at `position` into `buf` from `offset`; how many it read (fewer at the end). */
  read(buf: Buffer, offset: number, size: number, position: number): Promise<number>;
  close(): Promise<void>;
  /** Whether the reads bypass the page cache (for tests and logs). */
  readonly direct: boolean;
}

/** Opens `path` for reading; `direct: false` forces the page cache (as does a system without O_DIRECT). */
export async function openStreamFile(path: string, opts: { direct?: boolean } = {}): Promise<StreamFile> {
  const flag = (constants as { O_DIRECT?: number }).O_DIRECT;
  if (opts.direct !== false && flag !== undefined) {
    try {
      return new DirectFile(path, await open(path, constants.O_RDONLY | flag));
    } catch (err) {
      if (!isEinval(err)) throw err;
    }
  }
  return new BufferedFile(await open(path, 'r'));
}

function isEinval(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | null)?.code === 'EINVAL';
}

class BufferedFile implements StreamFile {
  readonly direct = false;
  constructor(private readonly fh: FileHandle) {}

  read(buf: Buffer, offset: number, size: number, position: number): Promise<number> {
    return readInto(this.fh, buf, offset, size, position);
  }

  close(): Promise<void> {
    return this.fh.close();
  }
}

/** A stage: STAGE_BYTES of page-aligned memory and the file range it holds. */
interface Stage {
  mem: Buffer;
  pos: number;
  len: number;
  /** The file ends where this stage's bytes end. */
  last: boolean;
}

/** A stage being filled: the read in flight. */
interface Ahead {
  stage: Stage;
  len: Promise<number>;
}

class DirectFile implements StreamFile {
  private fallback: BufferedFile | null = null;
  /** The stage being copied from; empty until the first read. */
  private cur: Stage;
  /** Stages being filled, in file order, right after `cur`. */
  private ahead: Ahead[] = [];
  private free: Stage[] = [];

  constructor(
    private readonly path: string,
    private readonly fh: FileHandle,
  ) {
    // WebAssembly memory is mapped page-aligned; Node's Buffers promise only 8- or 16-byte alignment.
    const stage = (): Stage => ({
      mem: Buffer.from(new WebAssembly.Memory({ initial: STAGE_BYTES / 65536 }).buffer),
      pos: 0,
      len: 0,
      last: false,
    });
    this.cur = stage();
    for (let k = 1; k < STAGES; k++) this.free.push(stage());
  }

  get direct(): boolean {
    return this.fallback === null;
  }

  async read(buf: Buffer, offset: number, size: number, position: number): Promise<number> {
    if (this.fallback) return this.fallback.read(buf, offset, size, position);
    let got = 0;
    while (got < size) {
      const at = position + got;
      let cur = this.cur;
      if (at < cur.pos || at >= cur.pos + cur.len) {
        if (cur.last && at >= cur.pos) break;
        try {
          cur = await this.load(at - (at % BLOCK));
        } catch (err) {
          if (!isEinval(err)) throw err;
          await this.switchToBuffered();
          return got + (await this.fallback!.read(buf, offset + got, size - got, at));
        }
        if (at >= cur.pos + cur.len) break;
      }
      got += cur.mem.copy(buf, offset + got, at - cur.pos, Math.min(cur.len, at - cur.pos + size - got));
    }
    return got;
  }

  /** Makes `cur` hold the file from `base` (aligned), and keeps the stages after it being read. */
  private async load(base: number): Promise<Stage> {
    // A stage is never read into while it is copied from: `cur` is freed only once replaced.
    const head = this.ahead[0];
    if (head && head.stage.pos === base) {
      this.ahead.shift();
      head.stage.len = await head.len;
      this.free.push(this.cur);
      this.cur = head.stage;
    } else {
      await this.settle();
      this.cur.pos = base;
      this.cur.len = await this.fill(this.cur.mem, base);
    }
    this.cur.last = this.cur.len < STAGE_BYTES;
    if (!this.cur.last) {
      let pos = (this.ahead.at(-1)?.stage ?? this.cur).pos + STAGE_BYTES;
      for (let stage = this.free.pop(); stage; stage = this.free.pop(), pos += STAGE_BYTES) {
        stage.pos = pos;
        stage.len = 0;
        const len = this.fill(stage.mem, pos);
        // Awaited by load() or settle(); until then, an error must not surface as an unhandled rejection.
        len.catch(() => {});
        this.ahead.push({ stage, len });
      }
    }
    return this.cur;
  }

  /** Fills `mem` from `pos`; fewer bytes than asked only at the end of the file. */
  private async fill(mem: Buffer, pos: number): Promise<number> {
    let got = 0;
    while (got < STAGE_BYTES) {
      const { bytesRead } = await this.fh.read(mem, got, STAGE_BYTES - got, pos + got);
      got += bytesRead;
      // A direct read ends short only at the end of the file; an unaligned count means it is there.
      if (bytesRead === 0 || bytesRead % BLOCK !== 0) break;
    }
    return got;
  }

  private async switchToBuffered(): Promise<void> {
    await this.settle();
    this.fallback = new BufferedFile(await open(this.path, 'r'));
  }

  /** Waits for the reads in flight (their data unwanted) and frees their stages. */
  private async settle(): Promise<void> {
    const ahead = this.ahead;
    this.ahead = [];
    for (const a of ahead) {
      await a.len.catch(() => 0);
      this.free.push(a.stage);
    }
  }

  async close(): Promise<void> {
    await this.settle();
    await this.fh.close();
    await this.fallback?.close();
  }
}
