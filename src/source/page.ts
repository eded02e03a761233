/**
 * Reader for one byte-exact Cablegate site page (2010 or Aug 2011 layout).
 *
 * The cable text inside the two `<pre>` blocks was never HTML-escaped, so it may hold raw `&`,
 * `<<220571>>` or a `<br>` typed into a media-partner text. The parser is therefore used only to
 * locate things: the plain text is cut from the raw page by offsets, and only the site's own
 * markup (TAGS links, `¶` paragraph anchors) is edited out; everything else stays byte-for-byte.
 */
import { Parser } from 'htmlparser2';
import { decodeEntities } from '../parse/entities.js';

export interface CablePage {
  referenceId: string;
  /** "Created" cell as shown (`YYYY-MM-DD HH:MM`); on 2010 pages the minute is wrong, see `minuteBug`. */
  created: string;
  released: string;
  classification: string;
  origin: string;
  /** The `<h3>` text after `Viewing cable <ID>, `, entity-decoded; may be empty. */
  subjectH3: string;
  header: string;
  body: string;
  /** Link texts of the "Appears in these articles" row. */
  articles: string[];
  layout: '2010' | '2011';
  /** True when the Created/Released minute shows the 12-hour-clock hour (every 2010-layout page). */
  minuteBug: boolean;
}

/** A raw span of the page to drop when turning a `<pre>` into text. */
interface Cut {
  start: number;
  end: number;
}

interface PreBlock {
  start: number;
  end: number;
  cuts: Cut[];
}

const H3_PREFIX = /^Viewing cable\s+(\S*?),\s?/;
const TAG_HREF = /^\/tag\//;
const PAR_ID = /^par[0-9A-Za-z]+$/;
const RDATE_ID = /^rdate_([0-9]{6})$/;
/**
 * The 2010 layout (with the minute bug) was generated until the April 2011 releases; the later
 * layout lists release months from August 2011 on. The two differ in nothing else a reader sees.
 */
const LAST_2010_LAYOUT_MONTH = 201104;

/** Collects offsets while htmlparser2 walks the page; no text is built here. */
class PageScanner {
  readonly pres: PreBlock[] = [];
  readonly cells: string[] = [];
  readonly articles: string[] = [];
  h3Raw: string | null = null;
  /** Latest release month listed in the sidebar (`rdate_201104` → 201104). */
  lastReleaseMonth = 0;

  private h3Start = -1;
  private h3Text = '';
  private inCableTable = false;
  private tableDepth = 0;
  private tdDepth = 0;
  private cellText = '';
  private cellIsArticles = false;
  private articleText: string | null = null;
  private pre: PreBlock | null = null;
  /** Open site links inside a `<pre>`: a TAGS link keeps its text, a `¶` anchor is dropped whole. */
  private preLink: { start: number; openEnd: number; keepText: boolean } | null = null;

  constructor(private readonly html: string) {}

  onopentag(p: Parser, name: string, attrs: Record<string, string>): void {
    if (this.pre) {
      this.openInPre(p, name, attrs);
      return;
    }
    switch (name) {
      case 'div': {
        const m = RDATE_ID.exec(attrs['id'] ?? '');
        if (m) this.lastReleaseMonth = Math.max(this.lastReleaseMonth, Number(m[1]));
        break;
      }
      case 'h3':
        this.h3Start = p.endIndex + 1;
        this.h3Text = '';
        break;
      case 'table':
        if (attrs['class'] === 'cable') this.inCableTable = true;
        if (this.inCableTable) this.tableDepth++;
        break;
      case 'td':
        if (this.inCableTable) {
          this.tdDepth++;
          this.cellText = '';
          this.cellIsArticles = attrs['colspan'] !== undefined;
        }
        break;
      case 'a':
        if (this.tdDepth > 0 && this.cellIsArticles) this.articleText = '';
        break;
      case 'pre':
        if (this.h3Raw !== null && this.pres.length < 2) {
          this.pre = { start: p.endIndex + 1, end: -1, cuts: [] };
        }
        break;
    }
  }

  private openInPre(p: Parser, name: string, attrs: Record<string, string>): void {
    if (name !== 'a' || this.preLink) return;
    const href = attrs['href'] ?? '';
    if (TAG_HREF.test(href)) {
      this.preLink = { start: p.startIndex, openEnd: p.endIndex + 1, keepText: true };
    } else if (PAR_ID.test(attrs['id'] ?? '') && href.startsWith('#')) {
      this.preLink = { start: p.startIndex, openEnd: p.endIndex + 1, keepText: false };
    }
  }

  ontext(text: string): void {
    if (this.pre) return;
    if (this.h3Start >= 0) this.h3Text += text;
    if (this.tdDepth > 0) {
      this.cellText += text;
      if (this.articleText !== null) this.articleText += text;
    }
  }

  onclosetag(p: Parser, name: string, isImplied: boolean): void {
    if (this.pre) {
      this.closeInPre(p, name, isImplied);
      return;
    }
    switch (name) {
      case 'h3':
        if (this.h3Start >= 0) {
          // The subject may hold a raw `<br>`, so take the raw inner HTML, not the parsed text.
          const inner = this.html.slice(this.h3Start, isImplied ? this.h3Start : p.startIndex);
          if (this.h3Raw === null && H3_PREFIX.test(inner)) this.h3Raw = inner;
          this.h3Start = -1;
        }
        break;
      case 'a':
        if (this.articleText !== null) {
          this.articles.push(decodeEntities(this.articleText).trim());
          this.articleText = null;
        }
        break;
      case 'td':
        if (this.tdDepth > 0) {
          this.tdDepth--;
          if (!this.cellIsArticles) this.cells.push(decodeEntities(this.cellText).trim());
        }
        break;
      case 'table':
        if (this.inCableTable && --this.tableDepth === 0) this.inCableTable = false;
        break;
    }
  }

  private closeInPre(p: Parser, name: string, isImplied: boolean): void {
    const pre = this.pre!;
    if (name === 'a' && this.preLink && !isImplied) {
      const link = this.preLink;
      this.preLink = null;
      if (link.keepText) {
        pre.cuts.push({ start: link.start, end: link.openEnd }, { start: p.startIndex, end: p.endIndex + 1 });
      } else {
        pre.cuts.push({ start: link.start, end: p.endIndex + 1 });
      }
    } else if (name === 'pre' && !isImplied) {
      pre.end = p.startIndex;
      this.pres.push(pre);
      this.pre = null;
      this.preLink = null;
    }
  }
}

/** Header text drops any other tag too (headers carry no typed markup). */
const ANY_TAG = /<\/?[A-Za-z][^<>]*>/g;

/** Raw inner HTML of a `<pre>` minus the cut spans, then `&#x000A;` and friends decoded. */
function preText(html: string, pre: PreBlock, stripTags: boolean): string {
  let out = '';
  let at = pre.start;
  for (const cut of pre.cuts) {
    out += html.slice(at, cut.start);
    at = cut.end;
  }
  out += html.slice(at, pre.end);
  return decodeEntities(stripTags ? out.replace(ANY_TAG, '') : out);
}

export function readCablePage(html: string): CablePage {
  const scanner = new PageScanner(html);
  const parser: Parser = new Parser(
    {
      onopentag: (name, attrs) => scanner.onopentag(parser, name, attrs),
      ontext: (text) => scanner.ontext(text),
      onclosetag: (name, isImplied) => scanner.onclosetag(parser, name, isImplied),
    },
    { decodeEntities: false, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.end(html);

  const h3 = decodeEntities(scanner.h3Raw ?? '');
  const m = H3_PREFIX.exec(h3);
  const [headerPre, bodyPre] = scanner.pres;
  const layout = scanner.lastReleaseMonth > LAST_2010_LAYOUT_MONTH ? '2011' : '2010';
  const cell = (i: number): string => scanner.cells[i] ?? '';
  return {
    referenceId: cell(0) || (m?.[1] ?? ''),
    created: cell(1),
    released: cell(2),
    classification: cell(3),
    origin: cell(4),
    subjectH3: m ? h3.slice(m[0].length) : '',
    header: headerPre ? preText(html, headerPre, true) : '',
    body: bodyPre ? preText(html, bodyPre, false) : '',
    articles: scanner.articles,
    layout,
    minuteBug: layout === '2010',
  };
}
