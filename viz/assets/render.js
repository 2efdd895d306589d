/* Behaviour of a page written by viz.render: draw the network, side panel, search, filters by kind,
 * link kind and date, and (timeline) the date axis.
 * All data comes from the JSON block #dkg-data and reaches the page with textContent only, or is
 * drawn on the canvas as text. */
(function () {
  "use strict";
  var times = window.dkgTimes = { start: performance.now() };
  var data = JSON.parse(document.getElementById("dkg-data").textContent);
  times.parsed = performance.now();
  var ui = data.ui;
  var info = data.info;
  var container = document.getElementById("dkg-canvas");
  var panel = document.getElementById("dkg-panel");
  var panelBody = document.getElementById("dkg-panel-body");
  var search = document.getElementById("dkg-search");
  var searchCount = document.getElementById("dkg-search-count");
  var has = function (obj, key) { return Object.prototype.hasOwnProperty.call(obj, key); };

  /* The page's records are compact: styles shared by many nodes or edges sit in tables, empty
   * fields are left out; fill them in, and make the tooltips (set as text by vis-network). */
  var NODE_FIELDS = { kind: "other", label: "", other_label: "", type: "", family: "", status: "", date: "",
                      code: "", evidence: [], items: [], dates: [] };
  var EDGE_FIELDS = { kind: "link", weight: 1, label: "", evidence: [], items: [], dates: [], group: "link" };
  function fill(obj, fields) {
    for (var k in fields) { if (!has(obj, k)) { obj[k] = fields[k]; } }
    return obj;
  }
  data.nodes.forEach(function (n) {
    var i = fill(info.nodes[n.id], NODE_FIELDS);
    fill(n, data.node_styles[n.s]);
    delete n.s;
    var kind = i.type ? term("type", i.type) : term("kind", i.kind);
    var facts = [kind, i.status ? term("status", i.status) : "", i.date, i.code].filter(Boolean).join(" · ");
    n.title = [i.label.replace(/\n/g, " "), i.other_label, facts].filter(Boolean).join("\n");
  });
  data.edges.forEach(function (e) {
    var i = fill(info.edges[e.id], EDGE_FIELDS);
    i.source = e.from;
    i.target = e.to;
    fill(e, data.edge_styles[e.s]);
    delete e.s;
    e.title = term("edge", i.kind) + " · " + i.weight + (i.label ? "\n" + i.label : "");
  });
  times.expanded = performance.now();

  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var network = new vis.Network(container, { nodes: new vis.DataSet(), edges: new vis.DataSet() }, data.options);
  network.on("afterDrawing", function () {
    if (times.firstDraw === undefined && nodes.length > 0) { times.firstDraw = performance.now(); }
  });
  if (data.axis) { network.on("beforeDrawing", drawAxis); }
  times.datasets = performance.now();
  network.setData({ nodes: nodes, edges: edges });
  times.setData = performance.now();
  window.dkgNetwork = network;
  if (data.nodes.length === 0) {
    container.appendChild(el("div", "dkg-empty", ui.empty));
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function fmt(template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (m, k) { return has(values, k) ? values[k] : m; });
  }
  function term(group, value) {
    var t = ui.terms[group];
    return t && has(t, value) ? t[value] : value;
  }
  function row(dl, name, value) {
    if (value === undefined || value === null || value === "") { return; }
    dl.appendChild(el("dt", null, name));
    dl.appendChild(el("dd", null, value));
  }
  function evidenceList(list) {
    var ol = el("ol", "dkg-evidence");
    list.forEach(function (ev) {
      var li = el("li");
      li.appendChild(el("span", "dkg-evidence-text", ev.text));
      var source = [ev.source, ev.title, ev.date].filter(function (x) { return x; }).join(" · ");
      if (source) { li.appendChild(el("span", "dkg-source", source)); }
      ol.appendChild(li);
    });
    return ol;
  }
  function evidenceSection(list) {
    var frag = document.createDocumentFragment();
    frag.appendChild(el("h3", null, fmt(ui.evidence, { n: list.length })));
    if (list.length === 0) {
      frag.appendChild(el("p", "dkg-none", ui.no_evidence));
      return frag;
    }
    frag.appendChild(evidenceList(list));
    return frag;
  }
  function itemsSection(list) {
    var frag = document.createDocumentFragment();
    frag.appendChild(el("h3", null, fmt(ui.items, { n: list.length })));
    var ol = el("ol", "dkg-items");
    list.forEach(function (it) {
      var li = el("li");
      li.appendChild(el("div", "dkg-item-label", it.label || term("type", it.type)));
      var meta = [term("type", it.type), it.status ? term("status", it.status) : "", it.date,
                  it.actors].filter(function (x) { return x; }).join(" · ");
      li.appendChild(el("div", "dkg-item-meta", meta));
      if (it.evidence.length) { li.appendChild(evidenceList(it.evidence)); }
      ol.appendChild(li);
    });
    frag.appendChild(ol);
    return frag;
  }
  function openPanel(title, subtitle) {
    while (panelBody.firstChild) { panelBody.removeChild(panelBody.firstChild); }
    panelBody.appendChild(el("h2", null, title));
    if (subtitle) { panelBody.appendChild(el("p", "dkg-sub", subtitle)); }
    panel.hidden = false;
    panel.scrollTop = 0;
    return panelBody;
  }
  function closePanel() {
    panel.hidden = true;
    panel.removeAttribute("data-subject");
  }

  function showNode(id) {
    if (!has(info.nodes, id)) { return false; }
    var n = info.nodes[id];
    var kindText = term("kind", n.kind) + (n.type ? " · " + term("type", n.type) : "");
    var body = openPanel(n.label.replace(/\n/g, " "), kindText);
    panel.setAttribute("data-subject", "node");
    var dl = el("dl");
    row(dl, ui.f_kind, term("kind", n.kind));
    row(dl, ui.f_type, n.type ? term("type", n.type) + (term("type", n.type) !== n.type ? " (" + n.type + ")" : "") : "");
    row(dl, ui.f_status, n.status ? term("status", n.status) : "");
    row(dl, ui.f_date, n.date);
    row(dl, ui.f_code, n.code);
    row(dl, ui.f_other_label, n.other_label);
    row(dl, ui.f_iri, id);
    body.appendChild(dl);
    if (n.evidence.length || !n.items.length) { body.appendChild(evidenceSection(n.evidence)); }
    if (n.items.length) { body.appendChild(itemsSection(n.items)); }
    var neighbours = network.getConnectedNodes(id).filter(function (m) { return has(info.nodes, m); });
    neighbours.sort(function (a, b) { return info.nodes[a].label.localeCompare(info.nodes[b].label); });
    if (neighbours.length) {
      body.appendChild(el("h3", null, fmt(ui.connections, { n: neighbours.length })));
      var ul = el("ul", "dkg-links");
      neighbours.forEach(function (m) {
        var li = el("li");
        var b = el("button", "dkg-link", info.nodes[m].label.replace(/\n/g, " "));
        b.type = "button";
        b.title = term("kind", info.nodes[m].kind);
        b.addEventListener("click", function () { focusNode(m); });
        li.appendChild(b);
        ul.appendChild(li);
      });
      body.appendChild(ul);
    }
    return true;
  }

  function showEdge(id) {
    if (!has(info.edges, id)) { return false; }
    var e = info.edges[id];
    var a = has(info.nodes, e.source) ? info.nodes[e.source].label.replace(/\n/g, " ") : e.source;
    var b = has(info.nodes, e.target) ? info.nodes[e.target].label.replace(/\n/g, " ") : e.target;
    var body = openPanel(term("edge", e.kind), a + " — " + b);
    panel.setAttribute("data-subject", "edge");
    var dl = el("dl");
    row(dl, ui.f_between, a + " — " + b);
    row(dl, ui.f_label, e.label);
    row(dl, ui.f_weight, String(e.weight));
    body.appendChild(dl);
    if (e.evidence.length || !e.items.length) { body.appendChild(evidenceSection(e.evidence)); }
    if (e.items.length) { body.appendChild(itemsSection(e.items)); }
    return true;
  }

  function focusNode(id) {
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: { duration: 300 } });
    showNode(id);
  }

  network.on("click", function (params) {
    if (params.nodes.length) { showNode(params.nodes[0]); }
    else if (params.edges.length) { showEdge(params.edges[0]); }
    else { closePanel(); }
  });
  document.getElementById("dkg-panel-close").addEventListener("click", closePanel);
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape") { closePanel(); }
  });

  /* Filters: node kinds, link kinds and a date range. A dated node or link shows when one of its
   * dates meets the range (a month or a year meets it when any of its days does); "undated" decides
   * for facts without a date. Nodes without dates of their own (actors) hide when the link and date
   * filters leave them no link. */
  var fromInput = document.getElementById("dkg-from");
  var toInput = document.getElementById("dkg-to");
  var undatedInput = document.getElementById("dkg-undated");
  var hiddenNodes = new Set();
  function unchecked(selector) {
    var off = new Set();
    document.querySelectorAll(selector + " input[type=checkbox]").forEach(function (cb) {
      if (!cb.checked) { off.add(cb.value); }
    });
    return off;
  }
  function applyFilter() {
    var offKinds = unchecked("#dkg-filter");
    var offLinks = unchecked("#dkg-edge-filter");
    var from = fromInput ? fromInput.value : "";
    var to = toInput ? toInput.value : "";
    var undated = undatedInput ? undatedInput.checked : true;
    var narrowed = offLinks.size > 0 || from !== "" || to !== "" || !undated;
    function dateOk(dates) {
      if (!dates.length) { return true; }
      return dates.some(function (d) {
        if (d === "") { return undated; }
        return (from === "" || d + "~" >= from) && (to === "" || d <= to);
      });
    }
    hiddenNodes = new Set();
    data.nodes.forEach(function (n) {
      var i = info.nodes[n.id];
      if (offKinds.has(i.kind) || !dateOk(i.dates)) { hiddenNodes.add(n.id); }
    });
    var hiddenEdges = new Set();
    var visibleDegree = {};
    var degree = {};
    data.edges.forEach(function (e) {
      var i = info.edges[e.id];
      degree[e.from] = (degree[e.from] || 0) + 1;
      degree[e.to] = (degree[e.to] || 0) + 1;
      if (hiddenNodes.has(e.from) || hiddenNodes.has(e.to) || offLinks.has(i.group) || !dateOk(i.dates)) {
        hiddenEdges.add(e.id);
      } else {
        visibleDegree[e.from] = (visibleDegree[e.from] || 0) + 1;
        visibleDegree[e.to] = (visibleDegree[e.to] || 0) + 1;
      }
    });
    if (narrowed) {
      data.nodes.forEach(function (n) {
        if (!info.nodes[n.id].dates.length && degree[n.id] && !visibleDegree[n.id]) { hiddenNodes.add(n.id); }
      });
    }
    nodes.update(data.nodes.map(function (n) { return { id: n.id, hidden: hiddenNodes.has(n.id) }; }));
    edges.update(data.edges.map(function (e) {
      return { id: e.id, hidden: hiddenEdges.has(e.id) || hiddenNodes.has(e.from) || hiddenNodes.has(e.to) };
    }));
    network.unselectAll();
    closePanel();
    runSearch();
  }
  document.querySelectorAll("#dkg-filter input, #dkg-edge-filter input, #dkg-dates input").forEach(function (input) {
    input.addEventListener("change", applyFilter);
    if (input.type === "date") { input.addEventListener("input", applyFilter); }
  });
  var reset = document.getElementById("dkg-dates-reset");
  if (reset) {
    reset.addEventListener("click", function () {
      fromInput.value = "";
      toInput.value = "";
      undatedInput.checked = true;
      applyFilter();
    });
  }

  /* Search by label (either language) or actor code; Enter steps through the matches. */
  var index = data.nodes.map(function (n) {
    var i = info.nodes[n.id];
    return { id: n.id, text: [i.label, i.other_label, i.code].join("\n").toLowerCase() };
  });
  var matches = [];
  var cursor = -1;
  function runSearch() {
    var q = search.value.trim().toLowerCase();
    matches = [];
    cursor = -1;
    if (!q) {
      searchCount.textContent = "";
      network.unselectAll();
      return;
    }
    index.forEach(function (entry) {
      if (!hiddenNodes.has(entry.id) && entry.text.indexOf(q) !== -1) { matches.push(entry.id); }
    });
    searchCount.textContent = fmt(ui.matches, { n: matches.length });
    network.selectNodes(matches);
  }
  search.addEventListener("input", runSearch);
  search.addEventListener("keydown", function (ev) {
    if (ev.key !== "Enter" || matches.length === 0) { return; }
    ev.preventDefault();
    cursor = (cursor + 1) % matches.length;
    focusNode(matches[cursor]);
  });

  /* Timeline: the date axis under the events, with its ticks and the column of undated events. */
  function drawAxis(ctx) {
    var axis = data.axis;
    var k = 1 / Math.max(network.getScale(), 0.05);  /* same size on screen at any zoom */
    ctx.save();
    ctx.strokeStyle = "#9aa5b1";
    ctx.fillStyle = "#52606d";
    ctx.lineWidth = 1.5 * k;
    ctx.font = (13 * k).toFixed(2) + "px " + data.font;
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    ctx.beginPath();
    ctx.moveTo(axis.x0, axis.y);
    ctx.lineTo(axis.x1, axis.y);
    ctx.stroke();
    axis.ticks.forEach(function (t) {
      ctx.beginPath();
      ctx.moveTo(t.x, axis.y - 6 * k);
      ctx.lineTo(t.x, axis.y + 6 * k);
      ctx.stroke();
      ctx.fillText(t.label, t.x, axis.y + 10 * k);
    });
    if (axis.undated_x !== null && axis.undated_x !== undefined) {
      ctx.setLineDash([4 * k, 4 * k]);
      ctx.beginPath();
      ctx.moveTo(axis.undated_x - axis.gap / 2, axis.top);
      ctx.lineTo(axis.undated_x - axis.gap / 2, axis.y + 6);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.fillText(ui.axis_undated, axis.undated_x, axis.y + 10 * k);
    }
    ctx.restore();
  }

  window.dkgShowNode = showNode;
  window.dkgShowEdge = showEdge;
  /* Fit the graph into the part of the canvas the legend leaves free. */
  function fitBesideLegend() {
    network.fit({ animation: false });
    var legend = document.getElementById("dkg-legend");
    var width = container.clientWidth;
    var room = legend ? legend.offsetWidth + 20 : 0;
    if (room && width > 2 * room) {
      network.moveTo({ position: network.getViewPosition(), scale: network.getScale() * (width - room) / width,
                       offset: { x: room / 2, y: 0 }, animation: false });
    }
  }
  window.dkgFit = fitBesideLegend;
  fitBesideLegend();
  times.fitted = performance.now();
  times.ready = performance.now();
  network.once("afterDrawing", function () { times.still = performance.now(); });
  network.redraw();
  window.dkgReady = true;
})();
