// The benchmark's questions in DuckDB, written as a DuckDB user would: one
// scan of the CSV into a table of the rows the questions read, then the
// questions against that table; exact DECIMAL sums. Prints the totals as
// check_totals.py writes them.
//     node duckdb.mjs LEDGER.csv [2024-10]
import { readSync, openSync, closeSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

const [file, period = '2024-10'] = process.argv.slice(2);
const year = Number(period.slice(0, 4)), mm = period.slice(5, 7);

// The header names the columns (a ledger may have no entity column): every
// one is given as text, so that nothing is sniffed (a value "1,234.5" is
// not a number to a CSV reader, and a period "2024-10" is not a date).
function header(path) {
  const fd = openSync(path, 'r'), buf = Buffer.alloc(4096);
  const n = readSync(fd, buf, 0, buf.length, 0);
  closeSync(fd);
  return buf.toString('utf8', 0, n).replace(/^\uFEFF/, '').split(/\r?\n/)[0].split(',');
}
const names = header(file);
const columns = '{' + names.map((c) => `'${c}': 'VARCHAR'`).join(', ') + '}';
const entity = names.includes('entity') ? 'entity' : 'NULL::VARCHAR';

const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
// parkstat reads a ledger with two threads; the machine of bench/README.md
// has two cores, so both use them all
await con.run(`SET threads = 2`);
await con.run(`SET preserve_insertion_order = false`); // no order is asked for
// Periods are YYYY-MM, so text comparison orders them.
const ytd = `period BETWEEN '${year}-01' AND '${period}'`;
const prev = `period BETWEEN '${year - 1}-01' AND '${year - 1}-${mm}'`;
await con.run(`CREATE TABLE asked AS
  SELECT indicator, ${entity} AS entity,
         coalesce(industry, '') AS industry, coalesce(collector, '') AS collector,
         ${ytd} AS ytd,
         CAST(replace(value, ',', '') AS DECIMAL(18,4)) *
           CASE unit WHEN '元' THEN 1 WHEN '万元' THEN 10000 WHEN '亿元' THEN 100000000 END AS yuan
  FROM read_csv('${file}', header = true, auto_detect = false, delim = ',', quote = '"',
                escape = '"', columns = ${columns})
  WHERE value IS NOT NULL AND (${ytd} OR ${prev})`);
const questions = [
  `SELECT indicator || '|ytd', CAST(sum(yuan) AS VARCHAR) FROM asked WHERE ytd GROUP BY 1`,
  `SELECT indicator || '|prev', CAST(sum(yuan) AS VARCHAR) FROM asked WHERE NOT ytd GROUP BY 1`,
  `SELECT indicator || '|entities', CAST(count(DISTINCT entity) AS VARCHAR) FROM asked WHERE ytd GROUP BY 1`,
  `SELECT indicator || '|industry|' || industry, CAST(sum(yuan) AS VARCHAR) FROM asked WHERE ytd GROUP BY 1`,
  `SELECT indicator || '|collector|' || collector, CAST(sum(yuan) AS VARCHAR) FROM asked WHERE ytd GROUP BY 1`,
];
const lines = [];
for (const q of questions) {
  const reader = await con.runAndReadAll(q);
  for (const [key, value] of reader.getRowsJS()) {
    const text = String(value);
    // sums come as text (a JS number would round them): times 10^4, exactly
    const [whole, frac = ''] = text.split('.');
    const scaled = key.endsWith('|entities') ? text
      : (BigInt(whole) * 10000n + (whole.startsWith('-') ? -1n : 1n) * BigInt((frac + '0000').slice(0, 4))).toString();
    lines.push(`${key}\t${scaled}`);
  }
}
lines.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
process.stdout.write(lines.join('\n') + '\n');
