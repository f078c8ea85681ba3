"""How the report workbook prints.

Usage:
  print.py setup BOOK.xlsx
      the page setup each sheet's XML asks for: A4 landscape, one page
      wide, the header row repeated, a page-number footer, the title
      merged across exactly the table's columns, each column wide enough
      for its texts and the title;
  print.py pdf BOOK.xlsx BOOK.pdf [--page-each]
      what LibreOffice printed: every page A4 landscape, each sheet's
      title whole on its first page, and on every page of a sheet its
      header row from the first column to the last, so the table is one
      page wide; --page-each: and each sheet on a single page.

Prints "ok - …" / "not ok - …" lines; exits 1 on any failure. Only the
standard library and, for pdf, poppler's pdfinfo and pdftotext.
"""
import re
import subprocess
import sys
import zipfile
import xml.etree.ElementTree as ET

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
      "pr": "http://schemas.openxmlformats.org/package/2006/relationships"}
failed = 0


def check(name, ok, detail=""):
    global failed
    print(("ok - " if ok else "not ok - ") + name)
    if not ok:
        failed += 1
        if detail:
            print("#   " + str(detail).replace("\n", "\n#   "))


def column_letters(ref):
    return re.match(r"[A-Z]+", ref).group(0)


def column_number(ref):
    n = 0
    for ch in column_letters(ref):
        n = n * 26 + ord(ch) - 64
    return n


def text_width(s):
    """Character units in an 11-point font: two for a CJK or full-width
    character, as in Chinese fonts."""
    return sum(2 if ord(ch) >= 0x2E80 else 1 for ch in s)


class Sheet:
    """A worksheet's name, XML, title (A1) and header row (row 2)."""

    def __init__(self, book, index, name, path, strings):
        self.index, self.name = index, name
        self.xml = ET.fromstring(book.read(path))
        self.title = self.text("A1", strings)
        row = self.xml.find("m:sheetData/m:row[@r='2']", NS)
        cells = [] if row is None else row.findall("m:c", NS)
        self.head = [self.text(c.get("r"), strings) for c in cells]
        self.last_column = column_letters(cells[-1].get("r")) if cells else "?"
        self.widths = {}
        for c in self.xml.findall("m:cols/m:col", NS):
            for k in range(int(c.get("min")), int(c.get("max")) + 1):
                self.widths[k] = float(c.get("width"))
        # the table's texts (the header wraps, the title is checked apart)
        self.texts = [(column_number(c.get("r")), strings[int(c.findtext("m:v", "0", NS))])
                      for r in self.xml.findall("m:sheetData/m:row", NS) if int(r.get("r")) > 2
                      for c in r.findall("m:c[@t='s']", NS)]

    def text(self, ref, strings):
        c = self.xml.find(f"m:sheetData/m:row/m:c[@r='{ref}']", NS)
        v = None if c is None else c.find("m:v", NS)
        if v is None or c.get("t") != "s":
            return ""
        return strings[int(v.text)]


def read_book(path):
    book = zipfile.ZipFile(path)
    sst = ET.fromstring(book.read("xl/sharedStrings.xml"))
    strings = ["".join(t.text or "" for t in si.iter(f"{{{NS['m']}}}t"))
               for si in sst.findall("m:si", NS)]
    wb = ET.fromstring(book.read("xl/workbook.xml"))
    rels = ET.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    target = {r.get("Id"): r.get("Target") for r in rels.findall("pr:Relationship", NS)}
    sheets = [Sheet(book, k, s.get("name"), "xl/" + target[s.get(f"{{{NS['r']}}}id")], strings)
              for k, s in enumerate(wb.findall("m:sheets/m:sheet", NS))]
    names = {(d.get("name"), d.get("localSheetId")): d.text
             for d in wb.findall("m:definedNames/m:definedName", NS)}
    return sheets, names


def check_setup(path):
    sheets, names = read_book(path)
    check(f"the workbook has sheets ({len(sheets)})", len(sheets) > 1)
    for s in sheets:
        x, n = s.xml, s.name
        fit = x.find("m:sheetPr/m:pageSetUpPr", NS)
        check(f"{n}: fit to page", fit is not None and fit.get("fitToPage") == "1")
        ps = x.find("m:pageSetup", NS)
        got = {} if ps is None else ps.attrib
        # fitToWidth and fitToHeight default to 1 where they are left out
        want = {"paperSize": "9", "orientation": "landscape", "fitToWidth": "1",
                "fitToHeight": "0"}
        seen = {k: got.get(k, "1" if k.startswith("fit") else None) for k in want}
        check(f"{n}: A4 landscape, one page wide, any number tall", seen == want, got)
        po = x.find("m:printOptions", NS)
        check(f"{n}: centred horizontally",
              po is not None and po.get("horizontalCentered") == "1")
        pm = x.find("m:pageMargins", NS)
        sides = [float(pm.get(k)) for k in ("left", "right")] if pm is not None else []
        check(f"{n}: side margins under an inch", sides and max(sides) < 1, sides)
        foot = x.findtext("m:headerFooter/m:oddFooter", "", NS)
        check(f"{n}: a footer with the page and the page count",
              "&P" in foot and "&N" in foot, foot)
        merged = [m.get("ref") for m in x.findall("m:mergeCells/m:mergeCell", NS)]
        check(f"{n}: the title spans exactly the table's columns",
              merged == [f"A1:{s.last_column}1"], merged)
        # a column grows to fit texts up to some 60 units, no further
        narrow = [(t, s.widths.get(c)) for c, t in s.texts
                  if text_width(t) < 59 and text_width(t) > s.widths.get(c, 8.43)]
        check(f"{n}: every text fits its column", not narrow, narrow)
        # the title's 14-point bold takes about 1.3 times the cells' width
        table = sum(s.widths.values())
        check(f"{n}: the title fits across the table",
              text_width(s.title) * 1.3 <= table, f"{s.title}: {table}")
        titles = names.get(("_xlnm.Print_Titles", str(s.index)), "")
        check(f"{n}: the header row repeats on every page", titles.endswith("!$2:$2"),
              titles)


def pdf_pages(pdf):
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "9999", pdf], capture_output=True,
                          text=True, check=True).stdout
    sizes = [tuple(map(float, m)) for m in
             re.findall(r"^Page +\d+ size: +([\d.]+) x ([\d.]+) pts", info, re.M)]
    texts = []
    for p in range(1, len(sizes) + 1):
        texts.append(subprocess.run(["pdftotext", "-layout", "-f", str(p), "-l", str(p),
                                     pdf, "-"], capture_output=True, text=True,
                                    check=True).stdout)
    return sizes, texts


def sheet_pages(sheets, texts):
    """The pages of each sheet: a sheet begins on the page holding its
    title as a line of its own (the title is not repeated, the header is)."""
    start, after = [], 0
    for s in sheets:
        found = [p for p in range(after, len(texts))
                 if s.title in (line.strip() for line in texts[p].splitlines())]
        start.append(found[0] if found else None)  # a sheet whose title was cut
        after = found[0] + 1 if found else after
    pages = []
    for k, a in enumerate(start):
        b = next((e for e in start[k + 1:] if e is not None), len(texts))
        pages.append([] if a is None else list(range(a, b)))
    return pages


def check_pdf(path, pdf, page_each):
    sheets, _ = read_book(path)
    sizes, texts = pdf_pages(pdf)
    check(f"the PDF has pages ({len(sizes)})", len(sizes) > 0)
    odd = [(p + 1, w, h) for p, (w, h) in enumerate(sizes)
           if abs(w - 841.89) > 1 or abs(h - 595.28) > 1]
    check("every page is A4 landscape (842 x 595 pt)", not odd, odd)
    if page_each:
        check(f"a page per sheet ({len(sheets)} sheets)", len(sizes) == len(sheets),
              f"{len(sizes)} pages")
    for s, pages in zip(sheets, sheet_pages(sheets, texts)):
        check(f"{s.name}: the title '{s.title}' whole on its first page", pages,
              "no page holds it as a line of its own")
        first, last = s.head[0], s.head[-1]
        cut = [p + 1 for p in pages if first not in texts[p] or last not in texts[p]]
        check(f"{s.name}: '{first}' to '{last}' on each of its pages {[p + 1 for p in pages]}",
              pages and not cut, f"not on page(s) {cut}")
        unnumbered = [p + 1 for p in pages if not re.search(r"第 \d+ 页，共 \d+ 页", texts[p])]
        check(f"{s.name}: its pages are numbered", pages and not unnumbered, unnumbered)


def main(argv):
    if len(argv) >= 2 and argv[0] == "setup":
        check_setup(argv[1])
    elif len(argv) >= 3 and argv[0] == "pdf":
        check_pdf(argv[1], argv[2], "--page-each" in argv[3:])
    else:
        sys.exit(__doc__)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
