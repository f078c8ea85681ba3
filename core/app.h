/* The whole program behind main(), callable from tests. */
#ifndef PS_APP_H
#define PS_APP_H

/* Exit statuses, as cron and the README document them. */
enum ps__exit {
    PS_EXIT_OK = 0,          /* the report was written, every section computed */
    PS_EXIT_PARTIAL = 1,     /* the report was written, but a section failed */
    PS_EXIT_USAGE = 2,       /* usage, configuration or ledger error: nothing written */
    PS_EXIT_LOCKED = 75      /* EX_TEMPFAIL: another run holds the lock */
};

int ps__app_main(int argc, char **argv);

#endif
