/* The HTML report's style sheet, inlined in every page: the office's network
   is closed, so nothing (no font, no script) may be fetched. Chinese text
   uses the system's CJK fonts. Time-progress statuses are coloured as
   offices read them: red behind, grey on, green ahead.

   On a phone nothing may stick out sideways: words too long for a line
   break, charts shrink to the width (keeping their proportions, by their
   viewBox), and a table too wide scrolls in its own box (div.scroll), its
   headers in the same table, so still above their columns. A narrow
   screen gets narrower margins, to leave the charts more room. On paper
   the box does not scroll, lest it cut the table off. */
#ifndef PS_HTML_STYLE_H
#define PS_HTML_STYLE_H

#define PS_HTML_STYLE \
    "body{margin:0 auto;max-width:1040px;padding:24px;color:#212121;background:#fff;" \
    "font:15px/1.7 \"Noto Sans CJK SC\",\"Source Han Sans SC\",\"Noto Sans SC\"," \
    "\"Microsoft YaHei\",\"PingFang SC\",sans-serif;counter-reset:part;" \
    "overflow-wrap:break-word}\n" \
    "h1{font-size:24px;margin:0 0 4px}\n" \
    "h2{font-size:18px;margin:28px 0 8px;padding-bottom:4px;border-bottom:2px solid #1565c0}\n" \
    "h2.part::before{counter-increment:part;content:counter(part,simp-chinese-informal) \"、\"}\n" \
    "h3{font-size:16px;margin:16px 0 4px}\n" \
    ".meta{color:#616161;margin:0 0 12px}\n" \
    "p{margin:6px 0;text-indent:2em}\n" \
    ".scroll{overflow-x:auto}\n" \
    "table{border-collapse:collapse;width:100%;font-size:14px}\n" \
    "th,td{border:1px solid #bdbdbd;padding:4px 8px;text-align:right;white-space:nowrap}\n" \
    "th{background:#e3f2fd}\n" \
    "th[scope=row]{text-align:left}\n" \
    "th.text,td.text{text-align:left}\n" \
    "td.text{white-space:normal}\n" \
    ".note{font-size:12px;color:#616161}\n" \
    "td.behind{color:#c62828;font-weight:bold}\n" \
    "td.ahead{color:#2e7d32;font-weight:bold}\n" \
    "td.on{color:#616161;font-weight:bold}\n" \
    "figure{margin:12px 0;display:inline-block;vertical-align:top;max-width:100%}\n" \
    "figcaption{font-size:13px;color:#616161;text-align:center}\n" \
    "svg.chart{display:block;font-size:13px;max-width:100%;height:auto}\n" \
    "svg .label,svg .figure,svg .legend{fill:#212121}\n" \
    "svg .head{fill:#212121;font-weight:bold}\n" \
    "svg .axis{fill:#757575;font-size:11px}\n" \
    "svg .grid{stroke:#e0e0e0;stroke-width:1}\n" \
    "svg .grid.full{stroke:#9e9e9e}\n" \
    "svg .tp{stroke:#212121;stroke-width:2;stroke-dasharray:4 3;fill:none}\n" \
    "svg rect.behind,svg circle.behind{fill:#d32f2f}\n" \
    "svg rect.on,svg circle.on{fill:#9e9e9e}\n" \
    "svg rect.ahead,svg circle.ahead{fill:#388e3c}\n" \
    "svg polyline.behind{stroke:#d32f2f;stroke-width:2;fill:none}\n" \
    "svg polyline.on{stroke:#9e9e9e;stroke-width:2;fill:none}\n" \
    "svg polyline.ahead{stroke:#388e3c;stroke-width:2;fill:none}\n" \
    "svg .track{fill:#f5f5f5}\n" \
    "svg .part{fill:#1e88e5}\n" \
    "svg .subset{fill:#80cbc4}\n" \
    ".error{color:#c62828}\n" \
    ".warning{color:#ef6c00}\n" \
    "ul{margin:6px 0;padding-left:2em}\n" \
    "footer{margin-top:24px;color:#757575;font-size:13px}\n" \
    "@media (max-width:600px){body{padding:12px}}\n" \
    "@media print{body{max-width:none;padding:0}figure{break-inside:avoid}" \
    ".scroll{overflow:visible}}\n"

#endif
