-- The benchmark's questions in SQLite, after `.import --csv LEDGER rows`
-- (every column TEXT). Values become integers of 元 times 10^4 by string
-- arithmetic, so no binary floating point touches a sum. `params` holds the
-- report's year and month (bench/run fills it, and adds an empty entity
-- column to a ledger that has none).
CREATE TEMP VIEW amounts AS
SELECT indicator, entity, industry, collector,
       CAST(substr(period, 1, 4) AS INTEGER) AS y, CAST(substr(period, 6, 2) AS INTEGER) AS m,
       (CASE WHEN v LIKE '-%' THEN -1 ELSE 1 END) *
       (CAST(CASE WHEN instr(a, '.') THEN substr(a, 1, instr(a, '.') - 1) ELSE a END AS INTEGER) * 10000 +
        CAST(substr(CASE WHEN instr(a, '.') THEN substr(a, instr(a, '.') + 1) ELSE '' END || '0000', 1, 4) AS INTEGER)) *
       (CASE unit WHEN '元' THEN 1 WHEN '万元' THEN 10000 WHEN '亿元' THEN 100000000 END) AS yuan
FROM (SELECT *, value AS v, ltrim(replace(value, ',', ''), '+-') AS a FROM rows WHERE value <> '');
CREATE TEMP TABLE ytd AS SELECT * FROM amounts, params WHERE y = params.year AND m <= params.month;
SELECT indicator || '|ytd', sum(yuan) FROM ytd GROUP BY 1
UNION ALL SELECT indicator || '|prev', sum(yuan) FROM amounts, params
  WHERE y = params.year - 1 AND m <= params.month GROUP BY 1
UNION ALL SELECT indicator || '|entities', count(DISTINCT nullif(entity, '')) FROM ytd GROUP BY 1
UNION ALL SELECT indicator || '|industry|' || industry, sum(yuan) FROM ytd GROUP BY 1
UNION ALL SELECT indicator || '|collector|' || collector, sum(yuan) FROM ytd GROUP BY 1
ORDER BY 1;
