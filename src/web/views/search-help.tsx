import { searchUrl } from '../urls.js';

/** The query language, as the help page and its `.json` twin give it: examples, then a note. */
export const SEARCH_HELP: { title: string; examples: [query: string, meaning: string][]; note: string }[] = [
  {
    title: 'Words and phrases',
    examples: [
      ['nuclear iran', 'cables containing both words (case and accents do not matter: São = sao)'],
      ['"human rights"', 'an exact phrase'],
      ['negotiat*', 'words starting with negotiat'],
      ['hezbollah OR hizballah', 'either word'],
      ['iran -israel', 'iran but not israel (also: iran NOT israel)'],
      ['(oil OR gas) pipeline', 'parentheses group'],
      ['0619', 'numbers match with or without leading zeros: 0619 = 619 = 000619'],
    ],
    note: 'Words next to each other must all match (AND). AND, OR and NOT are operators only in capitals; AND binds tighter than OR.',
  },
  {
    title: 'Fields',
    examples: [
      ['subject:scenesetter', 'in the subject line (body: for the text only)'],
      ['tag:PGOV tag:IR', 'tags — as many as you like, all must match'],
      ['origin:embassy-paris', 'the sending post, by name or address (origin:"Embassy Paris", origin:paris)'],
      [
        'classification:secret',
        'SECRET and SECRET//NOFORN; classification:noforn, classification:fouo work too',
      ],
      ['marking:S/NF', 'a paragraph marked (S/NF) (S//NF, S/NOFORN are the same)'],
      ['signer:clinton', 'signed by'],
      ['to:"secstate washdc"', 'addressed to (action or info)'],
      ['id:08MANAMA492', 'one cable by its reference ID: goes straight to it'],
      [
        'created:2009-01..2009-06',
        'created in the first half of 2009 (also created:2009, created:2009-03-15, created:..2005)',
      ],
      ['released:2011-08', 'released in August 2011'],
      ['year:2008', 'created in 2008 (year:2005..2007 for a range)'],
    ],
    note: 'A field takes one word or a "quoted value" with no space after the colon. A mistake in a query never gives an error: the part that could not be understood is named above the results and the rest is searched.',
  },
  {
    title: 'Results',
    examples: [],
    note: 'Results come best match first (a word in the subject or tags counts more than in the text) or sorted by creation or release date; the counts beside each tag, origin, classification, year and marking narrow the search when clicked, as do the bars of the histogram. For very large result sets those counts are estimated from an even sample and marked ≈; the total is always exact.',
  },
];

export function SearchHelpView() {
  return (
    <>
      <h1>Searching the cables</h1>
      <p>
        Only released cables are searched. Every result page is a link you can bookmark or share; each has a
        JSON twin, an Atom feed (new releases that match) and downloads of the whole result set as CSV or JSON
        lines.
      </p>
      {SEARCH_HELP.map((s) => (
        <>
          <h2>{s.title}</h2>
          {s.examples.length ? (
            <ul>
              {s.examples.map(([q, meaning]) => (
                <li>
                  <a href={searchUrl(q)}>
                    <code>{q}</code>
                  </a>{' '}
                  — {meaning}
                </li>
              ))}
            </ul>
          ) : null}
          <p>{s.note}</p>
        </>
      ))}
    </>
  );
}
