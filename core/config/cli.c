#include "config.h"

#include "config/cli.h"

#include <getopt.h>
#include <stdio.h>

enum { OPT_CHECK = 256, OPT_LIST_PLUGINS, OPT_VERSION, OPT_PLUGIN_DIR, OPT_DESCRIBE,
       OPT_MAN_KEYS, OPT_NO_STRICT };

static const struct option options[] = {
    { "config", required_argument, NULL, 'c' },
    { "period", required_argument, NULL, 'p' },
    { "format", required_argument, NULL, 'f' },
    { "output-dir", required_argument, NULL, 'o' },
    { "plugin-dir", required_argument, NULL, OPT_PLUGIN_DIR },
    { "check", no_argument, NULL, OPT_CHECK },
    { "no-strict-permissions", no_argument, NULL, OPT_NO_STRICT },
    { "quiet", no_argument, NULL, 'q' },
    { "list-plugins", no_argument, NULL, OPT_LIST_PLUGINS },
    { "describe", required_argument, NULL, OPT_DESCRIBE },
    { "man-keys", no_argument, NULL, OPT_MAN_KEYS },
    { "version", no_argument, NULL, OPT_VERSION },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
};

void ps__cli_usage(FILE *out)
{
    fprintf(out,
        "Usage: parkstat [-c FILE] [-p YYYY-MM] [-f FORMAT[,FORMAT...]] [-o DIR] [-q]\n"
        "                [--plugin-dir DIR] [--check] [--no-strict-permissions]\n"
        "                [--list-plugins]\n"
        "                [--describe PLUGIN]\n"
        "                [--version] [--help]\n"
        "\n"
        "Reads the departments' ledgers, runs the plugins parkstat.ini names, and\n"
        "writes the zone's report.\n"
        "\n"
        "  -c, --config FILE      configuration (default %s)\n"
        "  -p, --period YYYY-MM   month to report (default: the INI's, else the latest with data)\n"
        "  -f, --format LIST      output formats: text, json, html, csv, prom, xlsx\n"
        "                         (default: the INI's, else text)\n"
        "  -o, --output-dir DIR   write report-YYYY-MM.FORMAT files there instead of stdout\n"
        "  -q, --quiet            print nothing on success (for cron); needs -o DIR\n"
        "      --plugin-dir DIR   where plugin modules are (default: the INI's plugin_dir,\n"
        "                         else $PARKSTAT_PLUGIN_DIR, else %s)\n"
        "      --check            validate configuration, plugins and ledgers; write nothing\n"
        "      --no-strict-permissions\n"
        "                         trust a configuration, plugin directory or module that\n"
        "                         others could have written (for a development tree)\n"
        "      --list-plugins     list the plugins in the plugin directory\n"
        "      --describe PLUGIN  print a plugin's keys, types, defaults and help\n"
        "      --man-keys         print every key of the core and of the plugins as\n"
        "                         man(7) source (for parkstat.ini(5))\n"
        "      --version          print the version and the plugin ABI\n"
        "  -h, --help             print this help\n"
        "\n"
        "Exit status: 0 report written; 1 report written but a section failed;\n"
        "2 usage, configuration or ledger error (nothing written); 75 another run\n"
        "holds the lock.\n",
        PS_DEFAULT_CONFIG, PS_DEFAULT_PLUGIN_DIR);
}

int ps__cli_parse(int argc, char **argv, ps__cli_t *cli, ps__buf_t *err)
{
    *cli = (ps__cli_t){ 0 };
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":c:p:f:o:qh", options, NULL)) != -1) {
        switch (c) {
        case 'c': cli->config = optarg; break;
        case 'p': cli->period = optarg; break;
        case 'f': cli->formats = optarg; break;
        case 'o': cli->output_dir = optarg; break;
        case 'q': cli->quiet = 1; break;
        case OPT_PLUGIN_DIR: cli->plugin_dir = optarg; break;
        case OPT_CHECK: cli->check = 1; break;
        case OPT_NO_STRICT: cli->no_strict_permissions = 1; break;
        case OPT_LIST_PLUGINS: cli->list_plugins = 1; break;
        case OPT_DESCRIBE: cli->describe = optarg; break;
        case OPT_MAN_KEYS: cli->man_keys = 1; break;
        case OPT_VERSION: cli->version = 1; break;
        case 'h': cli->help = 1; break;
        case ':':
            ps__buf_printf(err, "option '%s' needs an argument", argv[optind - 1]);
            return -1;
        default:
            ps__buf_printf(err, "unknown option '%s'", argv[optind - 1]);
            return -1;
        }
    }
    if (optind < argc) {
        ps__buf_printf(err, "unexpected argument '%s'", argv[optind]);
        return -1;
    }
    return 0;
}
