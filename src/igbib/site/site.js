/* igbib site: search and facets over the list written in the page, and downloads.
 *
 * The papers are already in the page as HTML; this script only shows and hides
 * them (the `hidden` attribute of each row), so a search of 10,000 papers touches
 * no more of the page than what changes. Data comes from the JSON blocks and is
 * only ever written as text (textContent), never as HTML.
 */
(function () {
  "use strict";

  var MARKS = /\p{M}/gu;
  var WHOLE = /[łøđħıßæœþ]/g; // letters without a decomposition, spelled as typed without accent
  var LETTERS = { ł: "l", ø: "o", đ: "d", ħ: "h", ı: "i", ß: "ss", æ: "ae", œ: "oe", þ: "th" };
  var ROW_REM = 4.6; // the height of a row, about: a title, a line of authors and journal

  function letter(c) {
    return LETTERS[c];
  }

  /* Case- and accent-insensitive text, as igbib.site.fold folds each paper's text. */
  function fold(text) {
    return text.normalize("NFKD").replace(MARKS, "").toLowerCase().replace(WHOLE, letter);
  }

  function byId(id) {
    return document.getElementById(id);
  }

  var data = JSON.parse(byId("igbib-data").textContent);
  var papers = data.papers;
  var total = papers.length;
  var exportsData = null; // read on the first download

  var form = byId("filters");
  var query = byId("q");
  var yearFrom = byId("year-from");
  var yearTo = byId("year-to");
  var journal = byId("journal");
  var hasPmid = byId("has-pmid");
  var hasDoi = byId("has-doi");
  var count = byId("count");
  var none = byId("none");
  var sectionBoxes = form.querySelectorAll("input[name=section]");
  var tagBoxes = form.querySelectorAll("input[name=tag]");
  var shownButtons = form.querySelectorAll("button[data-which=shown]");

  /* Every row (a paper in one section: a paper in two sections has two rows), the block
   * (list element) it is in and the section. A block or section with no row shown is
   * hidden too, so that one the browser has not laid out yet keeps no stale height. */
  var groupEls = document.querySelectorAll("section.group");
  var blockEls = [];
  var blockGroup = [];
  var rowEl = [];
  var rowPaper = [];
  var rowBlock = [];
  for (var g = 0; g < groupEls.length; g++) {
    var lists = groupEls[g].querySelectorAll("ol.papers");
    for (var k = 0; k < lists.length; k++) {
      var items = lists[k].children;
      for (var r = 0; r < items.length; r++) {
        rowEl.push(items[r]);
        rowPaper.push(Number(items[r].getAttribute("data-p")));
        rowBlock.push(blockEls.length);
      }
      blockEls.push(lists[k]);
      blockGroup.push(g);
    }
  }
  var blockRows = new Uint32Array(blockEls.length);
  for (var x = 0; x < rowBlock.length; x++) blockRows[rowBlock[x]]++;
  var blockLast = Uint32Array.from(blockRows); // the rows each block showed last
  var rowShown = new Uint8Array(rowEl.length).fill(1);
  var blockShown = new Uint8Array(blockEls.length).fill(1);
  var groupShown = new Uint8Array(groupEls.length).fill(1);

  var shown = []; // the positions of the papers shown, in the list's order
  var applied = null; // the filters last applied, to skip an event that changes nothing

  function checked(boxes) {
    var values = [];
    for (var i = 0; i < boxes.length; i++) {
      if (boxes[i].checked) values.push(Number(boxes[i].value));
    }
    return values;
  }

  function yearOf(input) {
    if (!input || input.value === "") return null;
    var year = Number(input.value);
    return isFinite(year) ? year : null;
  }

  /* The filters as they are set, in one object. */
  function current() {
    return {
      words: fold(query.value).split(/\s+/).filter(Boolean),
      from: yearOf(yearFrom),
      to: yearOf(yearTo),
      sections: checked(sectionBoxes),
      tags: checked(tagBoxes),
      journal: journal ? journal.value : "",
      pmid: hasPmid.checked,
      doi: hasDoi.checked,
    };
  }

  function matches(paper, f) {
    var text = paper.text;
    for (var w = 0; w < f.words.length; w++) {
      if (text.indexOf(f.words[w]) === -1) return false;
    }
    if (f.from !== null && (paper.year === null || paper.year < f.from)) return false;
    if (f.to !== null && (paper.year === null || paper.year > f.to)) return false;
    if (f.journal && paper.journal !== f.journal) return false;
    if (f.pmid && !paper.pmid) return false;
    if (f.doi && !paper.doi) return false;
    if (f.tags.length) {
      var any = false;
      for (var t = 0; t < f.tags.length && !any; t++) any = paper.tags.indexOf(f.tags[t]) !== -1;
      if (!any) return false;
    }
    return true;
  }

  function toggle(element, state, i, on) {
    if (state[i] !== on) {
      element.hidden = !on;
      state[i] = on;
    }
  }

  /* The height a block off screen takes until the browser lays it out: the size it had
   * with every row shown (site.css), else an estimate from the rows it shows now. A size
   * remembered with other rows shown would leave gaps or jumps in a long list. */
  function estimate(block, rows, all) {
    block.style.containIntrinsicSize = rows === all ? "" : rows * ROW_REM + "rem";
  }

  /* Show the rows the filters select; touch only the rows that change. */
  function update() {
    var f = current();
    applied = JSON.stringify(f);
    var matched = new Uint8Array(total);
    for (var i = 0; i < total; i++) {
      if (matches(papers[i], f)) matched[i] = 1;
    }
    var inSection = null;
    if (f.sections.length) {
      inSection = new Uint8Array(groupEls.length);
      for (var s = 0; s < f.sections.length; s++) inSection[f.sections[s]] = 1;
    }
    var paperShown = new Uint8Array(total);
    var blockCount = new Uint32Array(blockEls.length);
    for (var r = 0; r < rowEl.length; r++) {
      var block = rowBlock[r];
      var on = matched[rowPaper[r]] & (inSection === null ? 1 : inSection[blockGroup[block]]);
      if (on) {
        paperShown[rowPaper[r]] = 1;
        blockCount[block]++;
      }
      toggle(rowEl[r], rowShown, r, on);
    }
    var groupCount = new Uint32Array(groupEls.length);
    for (var b = 0; b < blockEls.length; b++) {
      groupCount[blockGroup[b]] += blockCount[b];
      toggle(blockEls[b], blockShown, b, blockCount[b] > 0 ? 1 : 0);
      if (blockCount[b] !== blockLast[b]) {
        blockLast[b] = blockCount[b];
        estimate(blockEls[b], blockCount[b], blockRows[b]);
      }
    }
    for (var g = 0; g < groupEls.length; g++) {
      toggle(groupEls[g], groupShown, g, groupCount[g] > 0 ? 1 : 0);
    }
    shown = [];
    for (var p = 0; p < total; p++) {
      if (paperShown[p]) shown.push(p);
    }
    count.textContent = shown.length + " of " + total + (total === 1 ? " paper" : " papers");
    none.hidden = shown.length > 0;
    for (var d = 0; d < shownButtons.length; d++) shownButtons[d].disabled = shown.length === 0;
    saveState(f);
  }

  /* -- the state in the address (#q=...&section=...), so a search can be shared ------ */

  function saveState(f) {
    var params = new URLSearchParams();
    if (query.value.trim()) params.set("q", query.value.trim());
    if (f.from !== null) params.set("from", String(f.from));
    if (f.to !== null) params.set("to", String(f.to));
    f.sections.forEach(function (s) {
      params.append("section", data.sections[s]);
    });
    f.tags.forEach(function (t) {
      params.append("tag", data.tags[t]);
    });
    if (f.journal) params.set("journal", f.journal);
    if (f.pmid) params.set("has", "pmid");
    if (f.doi) params.append("has", "doi");
    var hash = params.toString();
    if (hash === location.hash.slice(1)) return;
    try {
      history.replaceState(null, "", hash ? "#" + hash : location.pathname + location.search);
    } catch (e) {
      /* some browsers refuse it for file: pages; the state is then not kept */
    }
  }

  function setBoxes(boxes, names, chosen) {
    for (var i = 0; i < boxes.length; i++) {
      boxes[i].checked = chosen.indexOf(names[Number(boxes[i].value)]) !== -1;
    }
  }

  function loadState() {
    var params = new URLSearchParams(location.hash.slice(1));
    query.value = params.get("q") || "";
    if (yearFrom) yearFrom.value = params.get("from") || "";
    if (yearTo) yearTo.value = params.get("to") || "";
    setBoxes(sectionBoxes, data.sections, params.getAll("section"));
    setBoxes(tagBoxes, data.tags, params.getAll("tag"));
    if (journal) {
      var wanted = params.get("journal") || "";
      journal.value = wanted;
      if (journal.value !== wanted) journal.value = "";
    }
    var has = params.getAll("has");
    hasPmid.checked = has.indexOf("pmid") !== -1;
    hasDoi.checked = has.indexOf("doi") !== -1;
  }

  function clear() {
    form.reset(); // every control back to its value in the page: empty, unticked, any journal
    update();
    query.focus();
  }

  /* -- downloads: BibTeX and CSL-JSON, as `igbib export` writes them ---------------- */

  function exportsOf() {
    if (exportsData === null) exportsData = JSON.parse(byId("igbib-export").textContent);
    return exportsData;
  }

  function all() {
    var positions = [];
    for (var i = 0; i < total; i++) positions.push(i);
    return positions;
  }

  function bibText(positions) {
    var e = exportsOf();
    return (
      e.bibHeader +
      positions
        .map(function (i) {
          return e.bib[i];
        })
        .join("\n\n")
    );
  }

  function cslText(positions) {
    var e = exportsOf();
    var items = positions.map(function (i) {
      return e.csl[i];
    });
    return JSON.stringify(items, null, 2) + "\n";
  }

  function download(button) {
    var which = button.getAttribute("data-which");
    var positions = which === "all" ? all() : shown;
    var bib = button.getAttribute("data-format") === "bib";
    var text = bib ? bibText(positions) : cslText(positions);
    var type = bib ? "application/x-bibtex" : "application/vnd.citationstyles.csl+json";
    var name = (which === "all" ? "library" : "selection") + (bib ? ".bib" : ".json");
    var link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([text], { type: type + ";charset=utf-8" }));
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () {
      URL.revokeObjectURL(link.href);
    }, 60000);
  }

  /* -- wiring ---------------------------------------------------------------------- */

  form.addEventListener("submit", function (event) {
    event.preventDefault();
  });
  function changed() {
    if (JSON.stringify(current()) !== applied) update();
  }
  // typing, a box ticked, a journal chosen: some fire both events, some only one
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  byId("clear").addEventListener("click", clear);
  var buttons = form.querySelectorAll("button[data-format]");
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].addEventListener("click", function (event) {
      download(event.currentTarget);
    });
  }
  window.addEventListener("hashchange", function () {
    loadState();
    update();
  });

  form.hidden = false;
  loadState();
  update();

  /* For scripts and tests: what is shown, and the texts the downloads hold. */
  window.igbibSite = {
    update: update,
    shown: function () {
      return shown.slice();
    },
    all: all,
    bibText: bibText,
    cslText: cslText,
    readyAt: performance.now(),
  };
})();
