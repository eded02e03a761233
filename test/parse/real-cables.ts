import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { fixture } from '../fixtures.js';

/** One real cable of shared/corpus/cables.dev.jsonl.gz (fields in shared/corpus/README.md). */
export interface RealCable {
  id: string;
  created: string;
  released: string;
  classification: string;
  origin: string;
  subject_h3: string;
  header_html: string;
  body_html: string;
  header: string;
  body: string;
  created_dtg: string | null;
  articles: string[];
  source: string;
}

let cache: RealCable[] | null = null;

export function loadRealCables(): RealCable[] {
  cache ??= gunzipSync(readFileSync(fixture('corpus', 'cables.dev.jsonl.gz')))
    .toString('utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as RealCable);
  return cache;
}

/** The tags the site turned into links in the body, in order (`<a href='/tag/X_0.html'>X</a>`). */
export function linkedTags(bodyHtml: string): string[] {
  return [...bodyHtml.matchAll(/<a href='\/tag\/[^']*_0\.html'>([^<]*)<\/a>/g)].map((m) =>
    m[1]!.trim().toUpperCase(),
  );
}
