#!/usr/bin/python3
"""The benchmark's questions in pandas (Debian python3-pandas), exactly:
values are read as text and turned into integers of 元 times 10^4, so no
binary floating point touches a sum. Prints totals as check_totals.py does.

    /usr/bin/python3 pandas_q.py LEDGER.csv [2024-10]
"""
import sys

import pandas as pd

FACTORS = {"元": 1, "万元": 10000, "亿元": 100000000}


def scaled(values):
    text = values.str.replace(",", "", regex=False)
    negative = text.str.startswith("-")
    text = text.str.lstrip("+-")
    parts = text.str.split(".", n=1, expand=True).reindex(columns=[0, 1])
    whole = parts[0].replace("", "0").astype("int64")
    frac = parts[1].fillna("").str.pad(4, side="right", fillchar="0").str[:4].astype("int64")
    value = whole * 10000 + frac
    return value.where(~negative, -value)


def main(path, period="2024-10"):
    year, month = int(period[:4]), int(period[5:7])
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    if "entity" not in df.columns:  # a ledger may have no entity column
        df["entity"] = ""
    df = df[df["value"] != ""]
    df["yuan"] = scaled(df["value"]) * df["unit"].map(FACTORS).astype("int64")
    y = df["period"].str[:4].astype(int)
    m = df["period"].str[5:7].astype(int)
    ytd = df[(y == year) & (m <= month)]
    prev = df[(y == year - 1) & (m <= month)]
    out = {}
    for ind, v in ytd.groupby("indicator")["yuan"].sum().items():
        out[ind + "|ytd"] = v
    for ind, v in prev.groupby("indicator")["yuan"].sum().items():
        out[ind + "|prev"] = v
    # empty names as NaN, which nunique leaves out: 0 where none is named
    named = ytd["entity"].where(ytd["entity"] != "")
    for ind, v in named.groupby(ytd["indicator"]).nunique().items():
        out[ind + "|entities"] = v
    for tag in ("industry", "collector"):
        for (ind, val), v in ytd.groupby(["indicator", tag])["yuan"].sum().items():
            out["%s|%s|%s" % (ind, tag, val)] = v
    for key in sorted(out):
        print("%s\t%d" % (key, out[key]))


if __name__ == "__main__":
    main(*sys.argv[1:])
