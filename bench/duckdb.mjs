// The benchmark's questions in DuckDB: its own CSV reader, every core, exact
// DECIMAL sums. Prints the totals as check_totals.py writes them.
//     node duckdb.mjs LEDGER.csv [2024-10]
import { DuckDBInstance } from '@duckdb/node-api';

const [file, period = '2024-10'] = process.argv.slice(2);
const year = Number(period.slice(0, 4)), month = Number(period.slice(5, 7));
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
await con.run(`CREATE VIEW rows AS
  SELECT indicator, entity, coalesce(industry, '') AS industry, coalesce(collector, '') AS collector,
         CAST(substr(period, 1, 4) AS INTEGER) AS y, CAST(substr(period, 6, 2) AS INTEGER) AS m,
         CAST(replace(value, ',', '') AS DECIMAL(18,4)) *
           CASE unit WHEN '元' THEN 1 WHEN '万元' THEN 10000 WHEN '亿元' THEN 100000000 END AS yuan
  FROM read_csv('${file}', header = true, all_varchar = true)
  WHERE value IS NOT NULL`);
await con.run(`CREATE TABLE ytd AS SELECT * FROM rows WHERE y = ${year} AND m <= ${month}`);
const questions = [
  `SELECT indicator || '|ytd', CAST(sum(yuan) AS VARCHAR) FROM ytd GROUP BY 1`,
  `SELECT indicator || '|prev', CAST(sum(yuan) AS VARCHAR) FROM rows WHERE y = ${year - 1} AND m <= ${month} GROUP BY 1`,
  `SELECT indicator || '|entities', CAST(count(DISTINCT entity) AS VARCHAR) FROM ytd GROUP BY 1`,
  `SELECT indicator || '|industry|' || industry, CAST(sum(yuan) AS VARCHAR) FROM ytd GROUP BY 1`,
  `SELECT indicator || '|collector|' || collector, CAST(sum(yuan) AS VARCHAR) FROM ytd GROUP BY 1`,
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
