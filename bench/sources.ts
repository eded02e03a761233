/**
 * Throughput of the source readers (no store): `node --import tsx bench/sources.ts FILE…`.
 * CSV files are read twice, with and without the per-row UTF-8 check.
 */
import { statSync } from 'node:fs';
import { readCablesCsv } from '../src/source/csv.js';
import { detectFormat, openSource } from '../src/source/detect.js';
import type { SourceItem } from '../src/source/types.js';

async function time(label: string, path: string, items: AsyncIterable<SourceItem>): Promise<void> {
  const t0 = performance.now();
  let records = 0;
  let rejects = 0;
  for await (const it of items) {
    if (it.kind === 'record') records++;
    else rejects++;
  }
  const s = (performance.now() - t0) / 1000;
  const mb = statSync(path).size / 1e6;
  console.log(
    `${label}: ${records} records, ${rejects} rejects, ${mb.toFixed(1)} MB in ${s.toFixed(2)} s = ${(mb / s).toFixed(1)} MB/s, ${Math.round(records / s)} rows/s, peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`,
  );
}

for (const path of process.argv.slice(2)) {
  const format = await detectFormat(path);
  await time(`${path} [${format}]`, path, await openSource(path));
  if (format === 'csv')
    await time(`${path} [csv, no UTF-8 check]`, path, readCablesCsv(path, { validateUtf8: false }));
}
