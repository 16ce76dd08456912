#include "solver/trace/trace_html.h"

#include "model/time_format.h"

#include <nlohmann/json.hpp>

namespace interlock {
namespace {

using json = nlohmann::ordered_json;

json state_values(const Model& model, const std::vector<int32_t>& state) {
  json values = json::array();
  for (std::size_t s = 0; s < model.slots.size(); ++s) values.push_back(format_value(model, static_cast<int>(s), state[s]));
  return values;
}

// The display steps: the start, each action, and each run of ticks, as the text timeline shows.
json display_steps(const Model& model, const Trace& trace) {
  json steps = json::array();
  json start = {{"time", 0}, {"kind", "start"}, {"text", "start"}, {"state", 0}, {"movers", json::array()}};
  steps.push_back(start);
  int64_t time = 0;
  auto marked = [&](std::size_t state) {
    for (const auto& [at, note] : trace.marks)
      if (at == state) return note;
    return std::string();
  };
  for (std::size_t i = 0; i < trace.steps.size(); ++i) {
    const bool cycle_starts = trace.loop_start >= 0 && static_cast<std::size_t>(trace.loop_start) == i;
    const Step& step = trace.steps[i];
    json d = {{"cycleStart", cycle_starts}, {"cycle", trace.loop_start >= 0 && i >= static_cast<std::size_t>(trace.loop_start)}};
    if (step.tick) {
      std::size_t j = i;
      while (j + 1 < trace.steps.size() && trace.steps[j + 1].tick && marked(j + 1).empty() &&
             !(trace.loop_start >= 0 && static_cast<std::size_t>(trace.loop_start) == j + 1))
        ++j;
      int64_t n = 0;
      for (std::size_t k = i; k <= j; ++k) n += trace.steps[k].elapsed();
      d["kind"] = "wait";
      d["text"] = "wait " + duration_text(model, n) + " (until " + wall_time(model, time + n) + ")";
      d["from"] = time;
      if (model.calendar != Calendar::None) d["fromAt"] = wall_time(model, time);
      time += n;
      d["movers"] = json::array();
      i = j;
    } else {
      d["kind"] = "action";
      d["text"] = describe_step_edges(model, step);
      json movers = json::array();
      for (int e : step.edges) movers.push_back(model.edges[static_cast<std::size_t>(e)].instance);
      d["movers"] = movers;
      if (step.channel >= 0) d["channel"] = model.channels[static_cast<std::size_t>(step.channel)].name;
    }
    d["time"] = time;
    if (model.calendar != Calendar::None) d["at"] = wall_time(model, time);  // "02:30", "Tue 01:50"
    d["state"] = i + 1;
    const std::string note = marked(i + 1);
    if (!note.empty()) d["note"] = note;
    steps.push_back(d);
  }
  return steps;
}

// The page: its script reads TRACE (below) and draws everything; no other file is needed.
const char* kPage = R"HTML(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>interlock trace</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 0; color: #222; }
  header { padding: 10px 16px; background: #f3f3f3; border-bottom: 1px solid #ccc; }
  header h1 { font-size: 17px; margin: 0 0 4px 0; }
  .verdict-violated { color: #b00; font-weight: bold; }
  .verdict-holds { color: #070; font-weight: bold; }
  #help { font-size: 12px; color: #666; }
  #timeline { overflow-x: auto; border-bottom: 1px solid #ccc; }
  #timeline svg { display: block; }
  .lifeline line { stroke: #bbb; stroke-width: 1; }
  .lifeline text { font-size: 12px; fill: #333; }
  .column { cursor: pointer; }
  .column rect.bg { fill: transparent; }
  .column.selected rect.bg { fill: #fff3c4; }
  .column.violation rect.bg { fill: #ffd6d6; }
  .column.selected.violation rect.bg { fill: #ffb3b3; }
  .column.cycle rect.band { fill: #dfe9ff; }
  .move { fill: #2a62c9; }
  .sync { stroke: #2a62c9; stroke-width: 1.5; }
  .wait { fill: #eee; }
  main { display: flex; gap: 16px; padding: 12px 16px; }
  #steps { flex: 1 1 60%; list-style: none; padding: 0; margin: 0; font-family: monospace; font-size: 13px; }
  #steps li { padding: 2px 6px; cursor: pointer; white-space: pre; }
  #steps li.selected { background: #fff3c4; }
  #steps li.violation { color: #b00; font-weight: bold; }
  #steps li.cycle { border-left: 4px solid #7aa2ff; }
  #steps li .note { color: #b00; }
  #summary .why { font-family: monospace; font-size: 13px; white-space: pre; color: #b00; }
  #state { flex: 1 1 40%; border-collapse: collapse; font-family: monospace; font-size: 13px; align-self: flex-start; }
  #state td { border-bottom: 1px solid #eee; padding: 2px 8px; }
  #state tr.changed td { background: #e3f5e3; }
  #state caption { text-align: left; font-weight: bold; padding-bottom: 4px; font-family: system-ui, sans-serif; }
</style>
</head>
<body>
<header>
  <h1 id="title"></h1>
  <div id="summary"></div>
  <div id="help">Arrow keys or clicks move through the steps; Home and End jump to the start and the end.</div>
</header>
<div id="timeline"></div>
<main>
  <ol id="steps"></ol>
  <table id="state"><caption id="state-caption"></caption><tbody></tbody></table>
</main>
<script>
const TRACE = @TRACE@;
(function () {
  const svgNs = "http://www.w3.org/2000/svg";
  const rowH = 28, colW = 34, left = 150, top = 26;
  let selected = 0;
  const last = TRACE.steps.length - 1;
  const violation = TRACE.violation ? last : -1;

  document.getElementById("title").textContent = "interlock: system " + TRACE.system + (TRACE.property ? ", property " + TRACE.property : "");
  const summary = document.getElementById("summary");
  if (TRACE.verdict) {
    const v = document.createElement("span");
    v.className = "verdict-" + TRACE.verdict;
    v.textContent = TRACE.verdict;
    summary.appendChild(v);
  }
  summary.appendChild(document.createTextNode((TRACE.note ? "  " + TRACE.note : "") + "  (" + last + " steps" + (TRACE.loopStart >= 0 ? ", a lasso" : "") + ")"));
  for (const why of TRACE.why || []) {
    const w = document.createElement("div");
    w.className = "why";
    w.textContent = "  " + why;
    summary.appendChild(w);
  }

  function el(name, attrs, parent) {
    const e = document.createElementNS(svgNs, name);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  }
  const width = left + colW * TRACE.steps.length + 20, height = top + rowH * TRACE.machines.length + 10;
  const svg = el("svg", { width: width, height: height, id: "lifelines" });
  document.getElementById("timeline").appendChild(svg);
  const columns = [];
  TRACE.steps.forEach(function (s, i) {
    const g = el("g", { class: "column" + (s.cycle ? " cycle" : "") + (i === violation ? " violation" : ""), "data-index": i }, svg);
    const x = left + i * colW;
    if (s.cycle) el("rect", { class: "band", x: x, y: top - 6, width: colW, height: 4 }, g);
    el("rect", { class: "bg", x: x, y: 0, width: colW, height: height }, g);
    const t = el("text", { x: x + colW / 2, y: 14, "text-anchor": "middle", "font-size": 10 }, g);
    t.textContent = s.at || s.time;
    const rows = s.movers.map(function (m) { return top + m * rowH + rowH / 2; });
    if (rows.length > 1) el("line", { class: "sync", x1: x + colW / 2, x2: x + colW / 2, y1: Math.min.apply(null, rows), y2: Math.max.apply(null, rows) }, g);
    rows.forEach(function (y, k) { el("circle", { class: "move", cx: x + colW / 2, cy: y, r: k === 0 ? 6 : 4 }, g); });
    if (s.kind === "wait") el("rect", { class: "wait", x: x + 6, y: top, width: colW - 12, height: rowH * TRACE.machines.length }, g);
    g.addEventListener("click", function () { select(i); });
    columns.push(g);
  });
  TRACE.machines.forEach(function (name, m) {
    const g = el("g", { class: "lifeline" }, svg);
    const y = top + m * rowH + rowH / 2;
    el("line", { x1: left - 6, x2: width - 10, y1: y, y2: y }, g);
    const label = el("text", { x: 8, y: y + 4 }, g);
    label.textContent = name;
  });

  const list = document.getElementById("steps");
  const items = TRACE.steps.map(function (s, i) {
    const li = document.createElement("li");
    li.dataset.index = i;
    li.dataset.state = s.state;
    li.className = (s.cycle ? "cycle" : "") + (i === violation ? " violation" : "");
    let text = String(s.kind === "wait" ? (s.fromAt || s.from) : (s.at || s.time)).padStart(6) + "  " + (s.cycleStart ? "[cycle repeats from here]  " : "") +
               (s.channel ? s.channel + ": " : "") + s.text;
    li.textContent = text;
    if (s.note) {
      const n = document.createElement("span");
      n.className = "note";
      n.textContent = "   => " + s.note;
      li.appendChild(n);
    }
    li.addEventListener("click", function () { select(i); });
    list.appendChild(li);
    return li;
  });

  const body = document.querySelector("#state tbody");
  const cells = TRACE.vars.map(function (name) {
    const tr = document.createElement("tr");
    const a = document.createElement("td"), b = document.createElement("td");
    a.textContent = name;
    b.className = "value";
    tr.dataset.var = name;
    tr.appendChild(a);
    tr.appendChild(b);
    body.appendChild(tr);
    return { row: tr, value: b };
  });

  function select(i) {
    selected = Math.max(0, Math.min(last, i));
    columns.forEach(function (c, k) { c.classList.toggle("selected", k === selected); });
    items.forEach(function (li, k) { li.classList.toggle("selected", k === selected); });
    const s = TRACE.steps[selected];
    const now = TRACE.states[s.state];
    const before = selected > 0 ? TRACE.states[TRACE.steps[selected - 1].state] : now;
    cells.forEach(function (c, v) {
      c.value.textContent = now[v];
      c.row.classList.toggle("changed", now[v] !== before[v]);
    });
    document.getElementById("state-caption").textContent = "state after step " + selected + " (time " + (s.at || s.time) + ")";
    items[selected].scrollIntoView({ block: "nearest" });
  }
  document.addEventListener("keydown", function (e) {
    if (e.key === "ArrowRight" || e.key === "ArrowDown") select(selected + 1);
    else if (e.key === "ArrowLeft" || e.key === "ArrowUp") select(selected - 1);
    else if (e.key === "Home") select(0);
    else if (e.key === "End") select(last);
    else return;
    e.preventDefault();
  });
  select(violation >= 0 ? violation : 0);
})();
</script>
</body>
</html>
)HTML";

}  // namespace

std::string format_trace_html(const Model& model, const Trace& trace, const TraceHeader& header) {
  json data;
  data["system"] = model.system;
  data["property"] = header.property;
  data["verdict"] = header.verdict;
  data["note"] = trace.final_note;
  data["why"] = trace.why;
  data["timeUnit"] = model.time_unit;
  json machines = json::array(), vars = json::array(), states = json::array();
  for (const Instance& inst : model.instances) machines.push_back(inst.name);
  for (const Slot& s : model.slots) vars.push_back(s.name);
  for (const auto& st : trace.states) states.push_back(state_values(model, st));
  data["machines"] = machines;
  data["vars"] = vars;
  data["states"] = states;
  data["steps"] = display_steps(model, trace);
  data["loopStart"] = trace.loop_start;
  data["violation"] = header.verdict == "violated" || header.verdict == "model error";
  // "</" would end the script element early: JSON allows "<\/" for it.
  std::string text = data.dump();
  std::string safe;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '<' && i + 1 < text.size() && text[i + 1] == '/') {
      safe += "<\\/";
      ++i;
      continue;
    }
    safe += text[i];
  }
  std::string page = kPage;
  page.replace(page.find("@TRACE@"), 7, safe);
  return page;
}

}  // namespace interlock
