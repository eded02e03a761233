/**
 * The signer(s) at the end of a cable: the surname(s) the sending officer typed as the last line,
 * or after the last sentence (`… MINIMIZE CONSIDERED.  EAGLETON`). Returned as written.
 */
import { isOneWordTitle, key } from './titles.js';

const TAIL = 300;

/** A one-word job title of data/titles.txt: `AMBASSADOR`, `CHARGE`, `ACTING`. */
const isTitle = (w: string) => isOneWordTitle(key(w));

/** Trailing lines that come after the signature: banners, end-of-message marks, page headers. */
const TRAILER =
  /^(?:[ \t.>"',=*\\-]*|(?:[ \t]*<\/?[a-z]+>)+[ \t]*|.*CABLE ENDS.*|[ \t*]*Missing Section.*|[ \t]*\d{4}[A-Z]+\d+ - Classification:.*|[ \t]*(?:CONFIDENTIAL|UNCLASSIFIED|SECRET|LIMITED OFFICIAL USE|SENSITIVE|NOFORN|SIPDIS|N[Nn]{3}|BT|Declassified\/Released|NOTE[ :]|[A-Z][A-Z .'-]{0,24}[ \t]+\d{3,}[ \t]+\d{3}(?:\.\d)?[ \t]+OF\b|PAGE[ \t]+\d|Systematic Review|End Cable Text).*|[ \t]*[“"]?Visit [A-Za-z ]+['’]s Classified Web ?[Ss]ite(?: at)?:?[ \t]*(?:\S+\.\S+(?: \S+\.\S+)?)?[ \t”"]*|[ \t]*[Xx]{4,}[ \t.]*)$/;

/**
 * What media-partner pages and the site append to the signature's own line: a record's date
 * (`STEVENS 0 02/14/2008`, `BURNS\t2006-08-30`), HTML (`MULFORD <br>`), quotes, `NNNN`.
 */
const LINE_TAIL =
  /(?:[ \t]*[\\\v]+|[ \t]+0[ \t]+\d{1,2}\/\d{1,2}\/\d{4}|\t[ \t]*\d{4}-\d\d-\d\d|[ \t]*<\/?[a-z]+>|[ \t]+NNNN|[ \t]*["”],?|[ \t]*,)[ \t.]*$/i;

/** One word, or two joined by a space, hyphen or apostrophe: `DE PREE`, `O'DONOHUE`, `STRAUSZ-HUPE`. */
const CAPS_NAME = "[A-Z]+(?:[ '’-][A-Z]+)?";
const MIXED_NAME = "(?:van |de |von )?[A-Z][a-z]*(?:[A-Z][a-z]+)?(?:[ '’-][A-Z][A-Za-z]+| [Jj]r)?";
const NAME = new RegExp(`^(?:${CAPS_NAME}|${MIXED_NAME})$`);
const OWN_LINE = new RegExp(`^[ \\t]*(${CAPS_NAME}|${MIXED_NAME})[ \\t."\\\\]*$`);
/** After the last sentence on the same line (re-flowed media-partner texts put it there). */
const AFTER_SENTENCE = new RegExp(`(?:[-?"/).*]|QUOTE)[ \\t]*(${CAPS_NAME}|${MIXED_NAME})[ \\t.]*$`);
/** After the closing words of a message or a quoted text, with no full stop before the name. */
const AFTER_CLOSING = new RegExp(
  `(?:MINIMIZE[ \\t]+CONSIDERED|Minimize[ \\t]+considered|END[ \\t]+(?:TEXT|COMMENT|QUOTE)|End[ \\t]+(?:text|comment|quote)|UNQUOTE|Unquote)[,:;]?[ \\t]+(${CAPS_NAME}|${MIXED_NAME})[ \\t.]*$`,
);
/**
 * After a page marker (`MANAMA 00000127 002.2 OF 002 ERELI`), a web address
 * (`…/london/index. cfm Tuttle`) or a redaction (`XXXXXXXXXXXX TUTTLE`) on the signature's line.
 */
const AFTER_MARKER = new RegExp(
  `(?:\\b\\d{3}(?:\\.\\d)?[ \\t]+OF[ \\t]+\\d{3}|\\b(?:cfm|html?|gov|com|org)\\b|https?:\\S+|\\bX{4,})[ \\t]+(${CAPS_NAME}|${MIXED_NAME})[ \\t.]*$`,
);
/**
 * Capitalised words that end a cut-off text more often than a surname does (`… 5.6 percent. The`);
 * a mixed-case word after a sentence is only taken as a signer when it is none of these.
 */
const COMMON_WORDS = new Set(
  (
    'The A An In On At Of For To And But Or If As By It Its We He She They This That These Those There ' +
    'His Her Our Their Post Embassy Mission Comment End Text Summary Note Also Still Yet So Then When ' +
    'While With Without After Before During Since Some Many Most All No Not One Two Three Ambassador Charge'
  ).split(' '),
);

/** Words that fill such a line without being a name. */
const NOT_NAMES = new Set([
  'CONFIDENTIAL',
  'UNCLASSIFIED',
  'SECRET',
  'NOFORN',
  'SIPDIS',
  'SENSITIVE',
  'LIMITED',
  'QUOTE',
  'UNQUOTE',
  'END',
  'TEXT',
  'COMMENT',
  'SUMMARY',
  'NNNN',
  'BT',
  'FYI',
  'YYY',
  'PAGE',
  'CONSIDERED',
  'MINIMIZE',
  'NOTE',
  'REF',
  'REFTEL',
  // The last addressee of a header pasted at the end (`RUCNMGH/MAGHREB COLLECTIVE`).
  'COLLECTIVE',
]);

function isName(s: string): boolean {
  if (s.length < 2) return false;
  return s.split(/[ '’-]/).every((w) => !NOT_NAMES.has(w.toUpperCase()) && !/^X{3,}$/i.test(w));
}

/** `BOYCE BOYCE`: the signature typed twice is one signer. */
function single(name: string): string {
  const m = /^(\S+) \1$/.exec(name);
  return m ? m[1]! : name;
}

/** A name taken after the last sentence: capitals, or a mixed-case word that is not a common one. */
function plausible(name: string | undefined): name is string {
  if (!name || !isName(name)) return false;
  return name === name.toUpperCase() || !COMMON_WORDS.has(name.split(/[ '’-]/)[0]!);
}

/** `AMBASSADOR SMITH`, `SMITH, CHARGE`, `Smith, Acting`: the name on a line with a title. */
function titledName(line: string): string | null {
  let rest = line.trim().replace(/[ \t.]+$/, '');
  let titled = false;
  const lead = /^([A-Za-z'.]+)[ \t]+/.exec(rest);
  if (lead && isTitle(lead[1]!)) {
    rest = rest.slice(lead[0].length);
    titled = true;
  }
  const trail = /,?[ \t]+([A-Za-z'.]+)$/.exec(rest);
  if (trail && isTitle(trail[1]!)) {
    rest = rest.slice(0, trail.index);
    titled = true;
  }
  if (!titled || !NAME.test(rest) || !isName(rest)) return null;
  return rest.split(/[ '’-]/).some(isTitle) ? null : rest;
}

export function parseSigners(text: string): string[] {
  const lines = text.slice(-TAIL).split(/\r?\n/);
  while (lines.length && TRAILER.test(lines[lines.length - 1]!)) lines.pop();
  let last = lines[lines.length - 1];
  // The first line of the tail may be cut mid-word.
  if (last === undefined) return [];
  for (let prev = ''; prev !== last; ) {
    prev = last;
    last = last.replace(LINE_TAIL, '');
  }
  const complete = lines.length > 1 || text.length <= TAIL;
  const own = complete ? OWN_LINE.exec(last) : null;
  const titled = complete ? titledName(last) : null;
  if (titled) return [single(titled)];
  if (own && isName(own[1]!) && !isTitle(own[1]!)) return [single(own[1]!)];
  for (const re of [AFTER_SENTENCE, AFTER_CLOSING, AFTER_MARKER]) {
    const name = re.exec(last)?.[1];
    if (plausible(name)) return [single(name)];
  }
  return [];
}
