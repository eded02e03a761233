import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readCablesCsv } from '../../src/source/csv.js';
import { frameRecords } from '../../src/source/csv-frame.js';
import type { SourceItem, SourceOptions, SourceRecord, SourceReject } from '../../src/source/types.js';
import { fixture } from '../fixtures.js';
import { FAULT_REASON, makeCorpus } from './corpus.js';

async function readAll(path: string, opts: SourceOptions = {}): Promise<SourceItem[]> {
  const out: SourceItem[] = [];
  for await (const it of readCablesCsv(path, opts)) out.push(it);
  return out;
}

const records = (items: SourceItem[]): SourceRecord[] =>
  items.filter((i): i is SourceRecord => i.kind === 'record');
const rejects = (items: SourceItem[]): SourceReject[] =>
  items.filter((i): i is SourceReject => i.kind === 'reject');

/** The rows as Python's csv module reads them (the README's reference reading of the format). */
function pythonRows(path: string): string[][] {
  const script = [
    'import csv, json, sys',
    'csv.field_size_limit(1 << 30)',
    'with open(sys.argv[1], encoding="utf-8", newline="") as f:',
    '    print(json.dumps(list(csv.reader(f, escapechar="\\\\", doublequote=False))))',
  ].join('\n');
  return JSON.parse(execFileSync('python3', ['-c', script, path], { maxBuffer: 1 << 28 }).toString('utf8'));
}

function tmpFile(name: string, content: string | Buffer): string {
  const p = join(mkdtempSync(join(tmpdir(), 'csv-test-')), name);
  writeFileSync(p, content);
  return p;
}

describe('cables.csv reader', () => {
  it('reads the two real sample rows exactly as Python csv does', async () => {
    const path = fixture('corpus', 'cables.sample.csv');
    const items = await readAll(path);
    const rows = pythonRows(path);
    assert.equal(items.length, 2);
    const recs = records(items);
    assert.equal(recs.length, 2);
    recs.forEach((r, k) => {
      const p = rows[k]!;
      assert.equal(r.extra['csvRow'], Number(p[0]));
      assert.equal(r.createdAsShown, p[1]);
      assert.equal(r.referenceId, p[2]);
      assert.equal(r.origin, p[3]);
      assert.equal(r.classification, p[4]);
      assert.deepEqual(r.references, p[5] === '' ? [] : p[5]!.split('|'));
      assert.equal(r.header, p[6]);
      assert.equal(r.body, p[7]);
    });
    const [a, b] = recs as [SourceRecord, SourceRecord];
    assert.equal(a.referenceId, '66BUENOSAIRES2481');
    assert.equal(a.created, '1966-12-28T18:48:00Z');
    assert.deepEqual(a.references, ['66STATE106206']);
    assert.ok(a.header.startsWith('P R 281848Z DEC 66\nFM AMEMBASSY BUENOS AIRES\n'));
    assert.ok(a.body.endsWith(' \n'));
    assert.equal(b.created, '1972-02-25T09:30:00Z');
    assert.deepEqual(b.references, ['72MOSCOW1603', '72TEHRAN1091', '72TEHRAN263']);
    // Locators: row 2 starts on the line after row 1's last line, at row 1's end offset.
    const bytes = readFileSync(path);
    assert.deepEqual([a.at.row, a.at.line, a.at.offset], [1, 1, 0]);
    assert.equal(b.at.offset, a.at.endOffset);
    assert.equal(b.at.line, a.at.endLine);
    assert.equal(b.at.line, bytes.subarray(0, b.at.offset!).toString('latin1').split('\n').length);
    assert.equal(b.at.endOffset, bytes.length);
  });

  it('undoes backslash escapes and keeps raw newlines, CRLF and non-ASCII verbatim', async () => {
    const body =
      'He said \\"no\\" and \\\'maybe\\\'.\nA backslash: \\\\ then \\\\\\" end.\r\nCafé – ¶ “quoted” \n';
    const csv =
      '"1","1/2/2009 3:04","09PARIS1","Embassy Paris","SECRET","","HDR\nLINE 2","' +
      body +
      '"\r\n' +
      '"2","12/31/2010 23:59","10STATE2","Secretary of State","UNCLASSIFIED","09PARIS1|08X2","","x"';
    const path = tmpFile('esc.csv', csv);
    const recs = records(await readAll(path));
    assert.equal(recs.length, 2);
    assert.equal(
      recs[0]!.body,
      'He said "no" and \'maybe\'.\nA backslash: \\ then \\" end.\r\nCafé – ¶ “quoted” \n',
    );
    assert.equal(recs[0]!.header, 'HDR\nLINE 2');
    assert.equal(recs[0]!.created, '2009-01-02T03:04:00Z');
    assert.deepEqual(recs[1]!.references, ['09PARIS1', '08X2']);
    assert.equal(recs[1]!.header, '');
    assert.equal(recs[1]!.body, 'x');
    assert.equal(recs[1]!.created, '2010-12-31T23:59:00Z');
    assert.equal(recs[1]!.at.line, 6);
    assert.deepEqual(pythonRows(path)[0]![7], recs[0]!.body);
  });

  it('rejects a row whose bytes are not UTF-8 even where a backslash splits the broken character', async () => {
    // E2 82 AC is "€"; with a backslash after its first byte the row holds invalid UTF-8.
    const head = Buffer.from('"1","1/2/2009 3:04","09PARIS1","Embassy Paris","SECRET","","H","a ');
    const bytes = Buffer.concat([head, Buffer.from([0xe2, 0x5c, 0x82, 0xac]), Buffer.from(' \\"b"\n')]);
    const path = tmpFile('split.csv', bytes.toString('latin1'));
    writeFileSync(path, bytes);
    const items = await readAll(path);
    assert.equal(items.length, 1);
    assert.equal(items[0]!.kind, 'reject');
    assert.equal((items[0] as SourceReject).reason, `invalid UTF-8 at byte ${head.length}`);
  });

  it('frames escaped records the same whatever the read size', async () => {
    const row = (n: number, body: string) =>
      `"${n}","1/2/2009 3:04","09PARIS${n}","Embassy Paris","SECRET","","H\\\\","${body}"\n`;
    const rows = [
      row(1, 'plain'),
      row(2, 'q \\" \\\\ \\\n end\\\\'),
      row(3, 'no escapes\nat all'),
      row(4, '\\"\\"\\"'),
      row(5, 'x'),
    ];
    const path = tmpFile('chunks.csv', rows.join(''));
    const frames = async (chunkBytes: number) => {
      const out: string[] = [];
      for await (const r of frameRecords(path, 'backslash', { maxRecordBytes: 1 << 20, chunkBytes })) {
        if (r.kind !== 'frame') {
          out.push(`broken ${r.reason}`);
          continue;
        }
        const f = r.frame;
        const fields = Array.from({ length: f.nFields }, (_, k) =>
          r.buf.toString('latin1', f.fields[2 * k], f.fields[2 * k + 1]),
        );
        out.push(JSON.stringify([r.offset, r.line, r.endOffset, r.endLine, f.escaped, fields]));
      }
      return out;
    };
    const whole = await frames(1 << 20);
    assert.equal(whole.length, 5);
    assert.ok(whole.every((x) => !x.startsWith('broken')));
    for (const size of [1, 2, 3, 5, 7, 11, 16, 40])
      assert.deepEqual(await frames(size), whole, `read size ${size}`);
  });

  it('rejects exactly the injected fault rows and keeps every other row intact', async () => {
    const [faulty, clean] = await Promise.all([
      makeCorpus(['--count', '300', '--inject-faults', '16'], 'csv'),
      makeCorpus(['--count', '300'], 'csv'),
    ]);
    const items = await readAll(faulty.path);
    const expected = faulty.faults.filter((f) => FAULT_REASON[f.kind] !== null);
    const rej = rejects(items);
    assert.deepEqual(
      rej.map((r) => r.at.row),
      expected.map((f) => f.row),
    );
    for (const [k, f] of expected.entries()) {
      const r = rej[k]!;
      assert.match(r.reason, FAULT_REASON[f.kind]!, `row ${f.row} (${f.kind})`);
      assert.ok(r.rawBytes && r.rawBytes.length > 0);
      const raw = Buffer.from(r.rawBytes);
      assert.ok(raw.subarray(0, 8).toString('latin1').startsWith(`"${f.row}","`), `raw of row ${f.row}`);
      const bytes = readFileSync(faulty.path);
      assert.ok(bytes.subarray(r.at.offset!, r.at.endOffset!).equals(raw), 'raw bytes are the row bytes');
      if (f.kind === 'invalid-utf8') {
        const at = Number(/byte (\d+)/.exec(r.reason)![1]);
        assert.deepEqual([...bytes.subarray(at, at + 4)], [0xff, 0xfe, 0xc3, 0x28]);
      }
      if (f.kind === 'nul-byte') assert.equal(bytes[Number(/byte (\d+)/.exec(r.reason)![1])], 0);
    }
    const good = new Map(records(await readAll(clean.path)).map((r) => [r.at.row, r]));
    const recs = records(items);
    assert.equal(recs.length, 300 - expected.length);
    const faultRows = new Set(faulty.faults.map((f) => f.row));
    for (const r of recs) {
      const g = good.get(r.at.row)!;
      if (faultRows.has(r.at.row!)) {
        assert.equal(r.header, g.header); // duplicate-refid: only the ID differs
        continue;
      }
      assert.deepEqual(
        [r.referenceId, r.created, r.header, r.body],
        [g.referenceId, g.created, g.header, g.body],
      );
    }
    // The row after an unterminated quote survives.
    for (const f of faulty.faults.filter((x) => x.kind === 'unterminated-quote')) {
      assert.ok(recs.some((r) => r.at.row === f.row + 1));
    }
  });

  it('resumes from a record boundary with the same rows, lines and offsets', async () => {
    const { path } = await makeCorpus(['--count', '300', '--inject-faults', '16'], 'csv');
    const all = await readAll(path);
    const cut = all[150]!;
    const rest = await readAll(path, {
      startOffset: cut.at.endOffset!,
      startRow: cut.at.row! + 1,
      startLine: cut.at.endLine!,
    });
    assert.deepEqual(rest, all.slice(151));
  });

  it('reports a start offset that is not a row start and goes on at the next row', async () => {
    const path = fixture('corpus', 'cables.sample.csv');
    const all = await readAll(path);
    const items = await readAll(path, { startOffset: 100, startRow: 2, startLine: 2 });
    assert.equal(items.length, 2);
    assert.equal(items[0]!.kind, 'reject');
    assert.match((items[0] as SourceReject).reason, /^start offset 100 is not at a row start/);
    assert.deepEqual((items[1] as SourceRecord).body, (all[1] as SourceRecord).body);
  });

  it('rejects an unterminated last row, a stray byte after a quote and an oversized field', async () => {
    const row = (n: number, body: string) =>
      `"${n}","1/2/2009 3:04","09PARIS${n}","Embassy Paris","SECRET","","H","${body}"\n`;
    const path = tmpFile(
      'bad.csv',
      `${row(1, 'ok')}${row(2, 'x"y')}${row(3, 'a'.repeat(100))}"4","1/2/2009 3:04","09X4`,
    );
    const items = await readAll(path, { maxFieldBytes: 50 });
    assert.deepEqual(
      items.map((i) => (i.kind === 'reject' ? i.reason : 'ok')),
      [
        'ok',
        "unexpected 'y' after the closing quote of field 8",
        'oversized field 8 (body): 100 bytes, limit 50',
        'unterminated quote in field 3 (runs to the end of the file)',
      ],
    );
    assert.deepEqual(
      items.map((i) => i.at.row),
      [1, 2, 3, 4],
    );
  });
});
