/* Behaviour of a page written by viz.render: draw the network, side panel, search, kind filter.
 * All data comes from the JSON block #dkg-data and is put into the page with textContent only. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("dkg-data").textContent);
  var ui = data.ui;
  var info = data.info;
  var container = document.getElementById("dkg-canvas");
  var panel = document.getElementById("dkg-panel");
  var panelBody = document.getElementById("dkg-panel-body");
  var search = document.getElementById("dkg-search");
  var searchCount = document.getElementById("dkg-search-count");
  var has = function (obj, key) { return Object.prototype.hasOwnProperty.call(obj, key); };

  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
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
  function evidenceSection(list) {
    var frag = document.createDocumentFragment();
    frag.appendChild(el("h3", null, fmt(ui.evidence, { n: list.length })));
    if (list.length === 0) {
      frag.appendChild(el("p", "dkg-none", ui.no_evidence));
      return frag;
    }
    var ol = el("ol", "dkg-evidence");
    list.forEach(function (ev) {
      var li = el("li");
      li.appendChild(el("span", "dkg-evidence-text", ev.text));
      if (ev.source) { li.appendChild(el("span", "dkg-source", ev.source)); }
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
    var body = openPanel(n.label, kindText);
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
    body.appendChild(evidenceSection(n.evidence));
    var neighbours = network.getConnectedNodes(id).filter(function (m) { return has(info.nodes, m); });
    neighbours.sort(function (a, b) { return info.nodes[a].label.localeCompare(info.nodes[b].label); });
    if (neighbours.length) {
      body.appendChild(el("h3", null, fmt(ui.connections, { n: neighbours.length })));
      var ul = el("ul", "dkg-links");
      neighbours.forEach(function (m) {
        var li = el("li");
        var b = el("button", "dkg-link", info.nodes[m].label);
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
    var a = has(info.nodes, e.source) ? info.nodes[e.source].label : e.source;
    var b = has(info.nodes, e.target) ? info.nodes[e.target].label : e.target;
    var body = openPanel(term("edge", e.kind), a + " — " + b);
    panel.setAttribute("data-subject", "edge");
    var dl = el("dl");
    row(dl, ui.f_between, a + " — " + b);
    row(dl, ui.f_label, e.label);
    row(dl, ui.f_weight, String(e.weight));
    body.appendChild(dl);
    body.appendChild(evidenceSection(e.evidence));
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

  /* Kind filter: hide the nodes of unchecked kinds and every edge touching a hidden node. */
  var hiddenNodes = new Set();
  function applyFilter() {
    var off = new Set();
    document.querySelectorAll("#dkg-filter input[type=checkbox]").forEach(function (cb) {
      if (!cb.checked) { off.add(cb.value); }
    });
    hiddenNodes = new Set();
    nodes.update(data.nodes.map(function (n) {
      var hide = off.has(info.nodes[n.id].kind);
      if (hide) { hiddenNodes.add(n.id); }
      return { id: n.id, hidden: hide };
    }));
    edges.update(data.edges.map(function (e) {
      return { id: e.id, hidden: hiddenNodes.has(e.from) || hiddenNodes.has(e.to) };
    }));
    network.unselectAll();
    closePanel();
    runSearch();
  }
  document.querySelectorAll("#dkg-filter input[type=checkbox]").forEach(function (cb) {
    cb.addEventListener("change", applyFilter);
  });

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

  window.dkgShowNode = showNode;
  window.dkgShowEdge = showEdge;
  network.fit({ animation: false });
  window.dkgReady = true;
})();
