/*
 * The history of figures: a SQLite database ([parkstat] history) that
 * records every run's figures per report period, so that the office can
 * see what it reported, tell when a department has revised a past month,
 * and keep the month-by-month course when a ledger no longer holds it.
 *
 * What is recorded. A run of period P replaces, in one transaction, every
 * row recorded by an earlier run of P: one row per indicator (its section,
 * key, label, ledger code, parent, base unit, exact raw value and target as
 * INTEGER ×10^4, as-of month), and each top-level indicator's cumulative
 * value at the end of every month from January to its as-of month
 * (ps__ind_t.months). The run's time is stored only when generated_at is
 * set. The schema is versioned with PRAGMA user_version.
 *
 * The baseline. Revisions and missing months are judged against what runs
 * of EARLIER periods recorded (for each month, the latest such run), never
 * against an earlier run of the same period: re-running a period with the
 * same ledgers gives the same report, findings and all, and a finding the
 * department has explained stays in the re-run report with its explanation.
 *
 * Revisions. A month before the report period whose cumulative value
 * differs from the baseline is a revision: a warning of rule "revision"
 * (「税收（tax）2023年8月累计数由25000万元修订为25100万元」), with the ledger
 * code as its indicator and the month as its period, so that the
 * explanations file can explain it. A flow ledger's revised month moves
 * every later cumulative figure by the same amount: the revision is named
 * once, at the month where the change begins (a month whose change equals
 * the previous month's is not named again).
 *
 * Months from history. When the ledger no longer holds an indicator's first
 * months (its months[] starts later than January: the leading months'
 * cumulative values are zero), each such month that a run recorded (an
 * earlier period's run, else an earlier run of the same period) is taken
 * from the history, and is not a revision.
 */
#ifndef PS_HISTORY_H
#define PS_HISTORY_H

#include "base/buf.h"
#include "report/report.h"

typedef struct ps__history ps__history_t;

/* The rule name of revision findings, for the explanations file. */
#define PS_HISTORY_RULE "revision"

/*
 * Opens the database at `path` (created with its schema when absent) and
 * begins the run's write transaction, waiting a little for another writer.
 * A file that cannot be opened, is locked, is not a parkstat history or is
 * corrupt fails with PS_EIO, naming the file and the reason in `err`.
 * *out is NULL on failure; close it either way.
 */
int ps__history_open(const char *path, ps__history_t **out, ps__buf_t *err);

/*
 * Fills the report's missing months from the history, adds a finding for
 * each revision, and records the run's figures (replacing the period's
 * earlier rows), all inside the open transaction. Counts one audit rule.
 * Returns 0, PS_ENOMEM, or PS_EIO saying why in `err`.
 */
int ps__history_record(ps__history_t *h, ps__report_t *report, ps__buf_t *err);

/* Makes the recorded run permanent. Returns 0 or PS_EIO (why in `err`). */
int ps__history_commit(ps__history_t *h, ps__buf_t *err);

/* Closes the database; a run not committed is rolled back. NULL is fine. */
void ps__history_close(ps__history_t *h);

#endif
