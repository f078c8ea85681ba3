/*
 * The script of the page tests/screenshot.sh builds around the HTML report:
 * the report sits in a frame of the width under test (a headless Chromium
 * window is never narrower than 500 pixels, a frame can be), and this
 * measures it from outside, as laid out. The report itself keeps its
 * policy and runs no script.
 *
 * Each verdict goes into a pre element of this page (ids "overflow" and
 * "headers"), for the test to read in the DOM that Chromium dumps.
 */
window.addEventListener("load", function () {
    "use strict";
    var frame = document.getElementById("report");
    var doc = frame.contentDocument, win = frame.contentWindow;
    var root = doc.documentElement;

    function describe(el) {
        var cls = el.getAttribute("class");
        return el.tagName.toLowerCase() + (cls ? "." + cls.replace(/ /g, ".") : "");
    }

    /* "none", or how many and the first few. */
    function verdict(found) {
        if (!found.length)
            return "none";
        return found.length + " (" + found.slice(0, 8).join(", ") +
               (found.length > 8 ? ", ..." : "") + ")";
    }

    function put(id, text) {
        var out = document.createElement("pre");
        out.id = id;
        out.textContent = text;
        document.body.appendChild(out);
    }

    /* The nearest element from `el` outwards that scrolls sideways. */
    function scroller(el) {
        for (; el && el !== doc.body; el = el.parentElement) {
            var x = win.getComputedStyle(el).overflowX;
            if (x === "auto" || x === "scroll")
                return el;
        }
        return null;
    }

    /* The box of an element, or of a run of text: a word too long for its
       line overflows the element that holds it, whose own box stays put. */
    function box(node) {
        if (node.nodeType !== Node.TEXT_NODE)
            return node.getBoundingClientRect();
        var range = doc.createRange();
        range.selectNodeContents(node);
        return range.getBoundingClientRect();
    }

    /*
     * What sticks out of the viewport sideways. An element or a run of text
     * counts when its box passes the right (or left) edge, unless a box
     * around it scrolls sideways and that box itself fits: a wide table in
     * its own scrolling box cuts nothing off. Nor may the page scroll
     * sideways.
     */
    function overflow() {
        var width = root.clientWidth, found = [];
        function outside(rect) {
            return rect.width > 0 && (rect.right > width + 0.5 || rect.left < -0.5);
        }
        var walk = doc.createTreeWalker(doc.body, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
        while (walk.nextNode()) {
            var node = walk.currentNode, rect = box(node);
            var text = node.nodeType === Node.TEXT_NODE, el = text ? node.parentElement : node;
            var around = scroller(text ? el : el.parentElement);
            if (outside(rect) && (!around || outside(around.getBoundingClientRect())))
                found.push((text ? "text in " : "") + describe(el) + " to " +
                           Math.round(rect.right));
        }
        if (root.scrollWidth > width)
            found.unshift("the page scrolls sideways to " + root.scrollWidth);
        return found;
    }

    /* The header nearest above the cell: of those of the table's head that
       span the middle of the cell, the lowest (headers may take rows and
       span columns). */
    function header(table, cell) {
        var r = cell.getBoundingClientRect(), middle = (r.left + r.right) / 2, best = null;
        var heads = table.tHead ? table.tHead.querySelectorAll("th, td") : [];
        for (var i = 0; i < heads.length; i++) {
            var h = heads[i].getBoundingClientRect();
            if (h.left <= middle && middle <= h.right &&
                (!best || h.bottom > best.getBoundingClientRect().bottom))
                best = heads[i];
        }
        return best;
    }

    /* Every cell of a table's body has a header, aligned as the cell: figures
       and their header line up on the right, text and its header on the
       left. */
    function headers() {
        var found = [], cells = doc.querySelectorAll("tbody > tr > *");
        for (var i = 0; i < cells.length; i++) {
            var cell = cells[i], table = cell.closest("table"), head = header(table, cell);
            var what = describe(table) + " column " + (cell.cellIndex + 1);
            var align = win.getComputedStyle(cell).textAlign, wrong = null;
            if (!head)
                wrong = what + " has no header";
            else if (win.getComputedStyle(head).textAlign !== align)
                wrong = what + ": header " + win.getComputedStyle(head).textAlign + ", cells " +
                        align;
            if (wrong && found.indexOf(wrong) < 0)
                found.push(wrong);
        }
        return found;
    }

    /* Taller than the report, so that the frame needs no vertical scroll
       bar: a phone's take no width. Not just as tall: without the bar the
       charts are wider, so taller, and the bar would come back. */
    for (var i = 0; i < 6 && root.clientWidth < frame.clientWidth; i++)
        frame.height = 2 * Math.max(root.scrollHeight, Number(frame.height));
    put("overflow", "width " + root.clientWidth + ": overflow: " + verdict(overflow()));
    put("headers", "headers out of line: " + verdict(headers()));
});
