/**
 * Reader for a directory tree of Cablegate site pages (`cable/YYYY/MM/<ID>.html`, 2010 and 2011
 * layouts), or a single page. Pages are read whole (40–200 KB each) in sorted path order, so a run
 * is deterministic; a file that is not a readable cable page becomes a reject naming the file.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import {
  DEFAULT_MAX_FIELD_BYTES,
  findDtg,
  firstInvalidUtf8,
  locator,
  rejectOf,
  siteTimes,
} from './common.js';
import { indexOfNul } from './csv-frame.js';
import { readCablePage } from './page.js';
import type { SourceItem, SourceOptions } from './types.js';

const PAGE_FILE = /\.html?$/i;

/** Page files under `root` in sorted order (directories first visited in name order too). */
export async function* pageFiles(root: string): AsyncGenerator<string> {
  const entries = await readdir(root, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const p = join(root, e.name);
    if (e.isDirectory()) yield* pageFiles(p);
    else if (e.isFile() && PAGE_FILE.test(e.name)) yield p;
  }
}

export async function* readPages(path: string, opts: SourceOptions = {}): AsyncGenerator<SourceItem> {
  const maxField = opts.maxFieldBytes ?? DEFAULT_MAX_FIELD_BYTES;
  const info = await stat(path);
  const files = info.isDirectory() ? pageFiles(path) : one(path);
  for await (const file of files) {
    yield await readPageFile(file, info.isDirectory() ? relative(path, file) : file, maxField);
  }
}

async function* one(path: string): AsyncGenerator<string> {
  yield path;
}

/** Whole pages are read: the largest real ones are ~0.2 MB; anything far beyond is not a page. */
export async function readPageFile(file: string, pagePath: string, maxField: number): Promise<SourceItem> {
  const at = locator(file, null, null, null);
  const size = (await stat(file)).size;
  if (size > 4 * maxField)
    return rejectOf(at, `file of ${size} bytes is too large for a cable page`, Buffer.alloc(0));
  const bytes = await readFile(file);
  const nul = indexOfNul(bytes, 0, bytes.length);
  if (nul >= 0) return rejectOf(at, `NUL byte at byte ${nul}`, bytes);
  const html = bytes.toString('utf8');
  if (html.includes('\uFFFD')) {
    const bad = firstInvalidUtf8(bytes, 0, bytes.length);
    if (bad >= 0) return rejectOf(at, `invalid UTF-8 at byte ${bad}`, bytes);
  }
  let page: ReturnType<typeof readCablePage>;
  try {
    page = readCablePage(html);
  } catch (e) {
    return rejectOf(at, `unreadable page: ${(e as Error).message}`, bytes);
  }
  if (page.referenceId === '') return rejectOf(at, 'not a cable page (no reference ID)', bytes);
  if (page.header === '' && page.body === '') return rejectOf(at, 'not a cable page (no cable text)', bytes);
  const dtg = findDtg(page.header);
  const times = siteTimes(page.created || null, page.released || null, dtg, page.minuteBug);
  if (page.created && times.created === null) return rejectOf(at, `invalid date "${page.created}"`, bytes);
  const extra: Record<string, unknown> = {
    layout: page.layout,
    subjectH3: page.subjectH3,
    articles: page.articles,
    createdDtg: dtg,
    pagePath,
  };
  if (times.createdMinute !== 'shown') extra['createdMinute'] = times.createdMinute;
  if (page.released) extra['releasedAsShown'] = page.released;
  if (times.releasedMinute !== 'shown') extra['releasedMinute'] = times.releasedMinute;
  return {
    kind: 'record',
    at,
    referenceId: page.referenceId,
    created: times.created,
    createdAsShown: page.created || null,
    released: times.released,
    origin: page.origin || null,
    classification: page.classification || null,
    references: null,
    header: page.header,
    body: page.body,
    extra,
  };
}
