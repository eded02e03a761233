/** What the route modules share: the request context of the app, and the shape of a page. */
import type { Context, Hono } from 'hono';
import type { Child } from 'hono/jsx';
import type { ArchiveReader } from '../store/types.js';
import type { Html } from './html.js';
import type { Chrome } from './layout.js';

export type Format = 'html' | 'json';

/** A page: its data (the whole `.json` twin) and how the HTML shows it. */
export interface PageSpec {
  status?: number;
  title: string;
  description?: string;
  data: unknown;
  /** URL of the `.json` twin, linked from the HTML; by default the twin of the requested path. */
  json?: string;
  feed?: { href: string; title: string };
  /** The page's canonical address, when this one is a variant of it (terms highlighted). */
  canonical?: string;
  /** The page's main content, rendered only for the HTML: JSX, or `html` markup on the hot pages. */
  view: () => Child | Html;
}

export interface WebContext {
  reader: ArchiveReader;
  siteName: string;
  pageSize: number;
  baseUrl(c: Context): string;
  /** The header and navigation of the current archive state. */
  chrome(): Promise<Chrome>;
  /** Patterns registered through `page()`, for a static export to walk. */
  pages: PageRoute[];
}

export interface PageRoute {
  /** The HTML address (`/tags`, `/tag/:file` taking `X`, `X.html` and `X.json`). */
  path: string;
  /** The `.json` twin's pattern, when it is a route of its own. */
  json: string | null;
}

/** Route modules mounted by the caller (the search pages), before the built-in routes. */
export type WebModule = (app: Hono, ctx: WebContext) => void;

/** `PGOV.json` → json; `PGOV.html` or `PGOV` → html. */
export function splitFormat(file: string): { name: string; format: Format } {
  if (file.endsWith('.json')) return { name: file.slice(0, -5), format: 'json' };
  if (file.endsWith('.html')) return { name: file.slice(0, -5), format: 'html' };
  return { name: file, format: 'html' };
}
