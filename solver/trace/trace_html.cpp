#include "solver/trace/trace_html.h"

#include "model/time_format.h"
#include "solver/trace/step_effects.h"
#include "solver/trace/trace_entries.h"
#include "solver/trace/trace_text.h"

#include <nlohmann/json.hpp>

namespace interlock {
namespace {

using json = nlohmann::ordered_json;

json state_values(const Model& model, const std::vector<int32_t>& state) {
  json values = json::array();
  for (std::size_t s = 0; s < model.slots.size(); ++s) values.push_back(format_value(model, static_cast<int>(s), state[s]));
  return values;
}

// The display steps: the entries of the text timeline (the start, each action, each run of
// ticks), each with the steps it stands for (numbered from 1, as in the ITF states), the state
// after it, and for an action what it read and assigned.
json display_steps(const Model& model, const Trace& trace) {
  json steps = json::array();
  const std::vector<StepEffects> effects = trace_effects(model, trace);
  for (const TraceEntry& e : trace_entries(trace)) {
    json d = {{"kind", e.kind == TraceEntry::Kind::Start ? "start" : e.kind == TraceEntry::Kind::Wait ? "wait" : "action"},
              {"first", e.first},
              {"last", e.last},
              {"from", e.from},
              {"time", e.to},
              {"state", e.last},
              {"cycleStart", e.cycle_start},
              {"cycle", e.in_cycle}};
    if (model.calendar != Calendar::None) {
      d["fromAt"] = wall_time(model, e.from);  // "02:30", "Tue 01:50"
      d["at"] = wall_time(model, e.to);
    }
    json movers = json::array(), effect_list = json::array();
    if (e.kind == TraceEntry::Kind::Start) {
      d["text"] = "start";
    } else if (e.kind == TraceEntry::Kind::Wait) {
      d["duration"] = duration_text(model, e.to - e.from);
      d["text"] = "wait " + duration_text(model, e.to - e.from) + " (until " + wall_time(model, e.to) + ")";
    } else {
      const std::size_t i = e.first - 1;
      const Step& step = trace.steps[i];
      d["text"] = describe_step_edges(model, step);
      for (int edge : step.edges) movers.push_back(model.edges[static_cast<std::size_t>(edge)].instance);
      if (step.channel >= 0) d["channel"] = model.channels[static_cast<std::size_t>(step.channel)].name;
      if (effects[i].known) {
        for (const StepEffect& x : effects[i].items)
          effect_list.push_back({{"kind", x.kind == StepEffect::Kind::Read ? "read" : "assign"},
                                 {"slot", x.slot},
                                 {"unchanged", x.unchanged},
                                 {"text", effect_text(model, x)}});
      } else {
        for (const std::string& x : effects_list(model, effects[i], trace.states[i], trace.states[i + 1]))
          effect_list.push_back({{"kind", "assign"}, {"slot", -1}, {"unchanged", false}, {"text", x}});
      }
    }
    d["movers"] = movers;
    d["effects"] = effect_list;
    json notes = json::array();
    for (const auto& [at, note] : trace.marks)
      if (at == e.last) notes.push_back(note);
    if (!notes.empty()) d["note"] = notes;
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
  :root { --top: 0px; }
  body { font-family: system-ui, sans-serif; margin: 0; color: #222; }
  #top { position: sticky; top: 0; z-index: 5; background: #f3f3f3; border-bottom: 1px solid #bbb; }
  header { padding: 8px 16px 6px 16px; }
  header h1 { font-size: 17px; margin: 0 0 4px 0; }
  .verdict-violated { color: #b00; font-weight: bold; }
  .verdict-holds { color: #070; font-weight: bold; }
  #summary a { color: #2a62c9; }
  #summary .why { font-family: monospace; font-size: 13px; white-space: pre; color: #b00; }
  #help { font-size: 12px; color: #666; margin-top: 2px; }
  #names { display: flex; align-items: flex-end; font-size: 12px; padding: 4px 0 3px 16px; border-top: 1px solid #ddd;
           background: #fafafa; white-space: nowrap; }
  #names > span { flex: none; overflow: hidden; text-overflow: ellipsis; color: #555; }
  #names .lifeline { text-align: center; color: #222; font-weight: 600; }
  .c-time { width: var(--time-w, 56px); text-align: right; padding-right: 8px; box-sizing: content-box; }
  .c-num { width: var(--num-w, 48px); text-align: right; padding-right: 8px; box-sizing: content-box; color: #888; }
  #names .c-time, #names .c-num { font-family: monospace; font-size: 13px; }
  #page { display: flex; align-items: flex-start; gap: 16px; padding: 0 16px 40vh 16px; }
  #steps { flex: 1 1 auto; min-width: 0; list-style: none; padding: 0; margin: 0; font-family: monospace; font-size: 13px; }
  #steps li { display: flex; align-items: flex-start; overflow: hidden; cursor: pointer; box-sizing: border-box;
              scroll-margin-top: calc(var(--top) + 8px); scroll-margin-bottom: 16px; line-height: 20px; }
  #steps li > span { flex: none; white-space: nowrap; padding-top: 1px; }
  #steps li > span.text { flex: 1 1 auto; min-width: 0; padding-left: 8px; white-space: normal; overflow-wrap: anywhere; }
  #steps li.wait > span.text, #steps li.start > span.text { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
  #steps li.action { min-height: 22px; }
  #steps li .lanes { flex: none; align-self: stretch; }
  #steps li.selected { background: #fff3c4; }
  #steps li.violation .text { color: #b00; font-weight: bold; }
  #steps li.cycle { box-shadow: inset 4px 0 0 #7aa2ff; }
  #steps li.wait .text { color: #777; }
  #steps li .effects { color: #2f6f2f; }
  #steps li .note { color: #b00; }
  #steps li .cycle-mark { color: #2a62c9; }
  .lanes svg { display: block; }
  .lanes line.life { stroke: #aaa; stroke-width: 1; shape-rendering: crispEdges; }
  .lanes line.life.folded { stroke-dasharray: 3 3; }
  .lanes rect.wait { fill: #f0f0f0; }
  .lanes rect.life { fill: #aaa; }
  .lanes rect.fold { fill: #e4e4e4; }
  .lanes text.fold-label { font-size: 11px; fill: #555; font-family: system-ui, sans-serif; }
  .lanes .move { fill: #2a62c9; }
  .lanes .receive { fill: #fff; stroke: #2a62c9; stroke-width: 2; }
  .lanes .sync { stroke: #2a62c9; stroke-width: 1.5; }
  #side { flex: 0 0 360px; position: sticky; top: calc(var(--top) + 8px); max-height: calc(100vh - var(--top) - 16px);
          overflow: auto; font-family: monospace; font-size: 13px; padding-top: 8px; }
  #state-caption { font-family: system-ui, sans-serif; font-weight: bold; font-size: 14px; margin: 0 0 4px 0; }
  #effects { list-style: none; padding: 0; margin: 0 0 8px 0; }
  #effects li.read { color: #2a62c9; }
  #effects li.assign { color: #2f6f2f; }
  #effects li.unchanged { color: #8a6d00; }
  #state { border-collapse: collapse; width: 100%; }
  #state td { border-bottom: 1px solid #eee; padding: 2px 8px; }
  #state tr.changed td { background: #e3f5e3; }
  #state tr.unchanged td { background: #fff6d5; }
  #state tr.read td:first-child { box-shadow: inset 3px 0 0 #2a62c9; }
</style>
</head>
<body>
<div id="top">
<header>
  <h1 id="title"></h1>
  <div id="summary"></div>
  <div id="help">&#8595;/&#8593;, &#8594;/&#8592; or j/k: the next or previous step; Home/End (g/G): the start or the end; a click selects a step;
  the address's <code>#step=N</code> opens step N (numbered as in the JSON trace's states).</div>
</header>
<div id="names"></div>
</div>
<div id="page">
  <ol id="steps"></ol>
  <aside id="side">
    <h2 id="state-caption"></h2>
    <ul id="effects"></ul>
    <table id="state"><tbody></tbody></table>
  </aside>
</div>
<script>
const TRACE = @TRACE@;
(function () {
  const svgNs = "http://www.w3.org/2000/svg";
  const steps = TRACE.steps, last = steps.length - 1;
  const violation = TRACE.violation ? last : -1;
  const machines = TRACE.machines.length;
  const lane = Math.max(28, Math.min(90, Math.floor(480 / Math.max(1, machines))));
  const lanesWidth = lane * machines;
  // The time axis runs down the page: an action is one row; a wait is as tall as it is long, at
  // a scale that gives the shortest wait one row. A wait taller than foldRows rows is folded to
  // one short row labelled with its length ("... 21 h ...").
  const rowH = 22, foldH = 30, foldRows = 8;
  let shortest = Infinity;
  steps.forEach(function (s) { if (s.kind === "wait" && s.time > s.from) shortest = Math.min(shortest, s.time - s.from); });
  const pxPerTick = isFinite(shortest) ? rowH / shortest : 0;
  function isFolded(s) { return s.kind === "wait" && (s.time - s.from) * pxPerTick > foldRows * rowH; }
  // An action's row is one line, or more when its text wraps; a wait's is its length.
  function rowHeight(s) { return s.kind !== "wait" ? rowH : isFolded(s) ? foldH : (s.time - s.from) * pxPerTick; }
  function stepNumbers(s) { return s.kind === "start" ? "0" : s.first === s.last ? String(s.first) : s.first + "\u2013" + s.last; }
  function timeText(s) { return String(s.kind === "start" ? (s.at || s.time) : (s.fromAt || s.from)); }
  let selected = 0;

  document.getElementById("title").textContent = "interlock: system " + TRACE.system + (TRACE.property ? ", property " + TRACE.property : "");
  const summary = document.getElementById("summary");
  if (TRACE.verdict) {
    const v = document.createElement("span");
    v.className = "verdict-" + TRACE.verdict.replace(/ /g, "-");
    v.textContent = TRACE.verdict;
    summary.appendChild(v);
  }
  if (TRACE.note) summary.appendChild(document.createTextNode("  " + TRACE.note));
  const count = document.createElement("span");
  count.id = "count";
  count.textContent = TRACE.count;  // as the text output says it: "129 steps (53 actions, 76 ticks)"
  summary.appendChild(document.createTextNode("  ("));
  summary.appendChild(count);
  function link(text, step) {
    const a = document.createElement("a");
    a.href = "#step=" + step;
    a.textContent = text;
    summary.appendChild(document.createTextNode(", "));
    summary.appendChild(a);
  }
  if (TRACE.loopStart >= 0) link("a lasso: the cycle repeats from step " + (TRACE.loopStart + 1), TRACE.loopStart + 1);
  if (violation >= 0) link((TRACE.verdict === "model error" ? "the fault" : "the violation") + " at step " + steps[last].last, steps[last].last);
  summary.appendChild(document.createTextNode(")"));
  for (const why of TRACE.why || []) {
    const w = document.createElement("div");
    w.className = "why";
    w.textContent = "  " + why;
    summary.appendChild(w);
  }

  // The lifelines' names, above their lanes, stay at the top with the header.
  const names = document.getElementById("names");
  function cell(parent, cls, text, width) {
    const c = document.createElement("span");
    c.className = cls;
    c.textContent = text;
    if (width) c.style.width = width + "px";
    parent.appendChild(c);
    return c;
  }
  // The time and step columns as wide as their widest entry, in whole pixels, so that the
  // lifelines fall on pixel columns and are drawn sharp.
  const probe = document.createElement("span");
  probe.style.cssText = "font-family: monospace; font-size: 13px; position: absolute; visibility: hidden";
  probe.textContent = "0000000000";
  document.body.appendChild(probe);
  const ch = probe.getBoundingClientRect().width / 10 || 8;
  probe.remove();
  const root = document.documentElement.style;
  function widest(text) { return steps.reduce(function (w, s) { return Math.max(w, text(s).length); }, 4); }
  root.setProperty("--time-w", Math.ceil(ch * widest(timeText)) + "px");
  root.setProperty("--num-w", Math.ceil(ch * widest(stepNumbers)) + "px");
  cell(names, "c-time", "time").title = "time in " + TRACE.timeUnit;
  cell(names, "c-num", "step");
  TRACE.machines.forEach(function (name) { cell(names, "lifeline", name, lane).title = name; });
  cell(names, "c-text", "").style.paddingLeft = "8px";

  function el(name, attrs, parent) {
    const e = document.createElementNS(svgNs, name);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  }
  // A lifeline covers pixel column `mid` of its lane. Down an action's row it is a CSS background
  // (as tall as the row's text, which may wrap), down a wait's a rectangle, dashed where the wait
  // is folded; an action's moves are on its first line.
  const mid = Math.floor(lane / 2);
  function laneX(m) { return m * lane + mid + 0.5; }
  const lifelines = "repeating-linear-gradient(to right, transparent 0px, transparent " + mid + "px, #aaa " + mid + "px, #aaa " +
                    (mid + 1) + "px, transparent " + (mid + 1) + "px, transparent " + lane + "px)";
  function drawLanes(s, h) {
    const div = document.createElement("div");
    div.className = "lanes";
    div.style.width = lanesWidth + "px";
    const svg = el("svg", { width: lanesWidth, height: h }, div);
    const folded = isFolded(s);
    if (folded) {
      el("rect", { class: "fold", x: 0, y: 0, width: lanesWidth, height: h }, svg);
      for (let m = 0; m < machines; ++m) el("line", { class: "life folded", x1: laneX(m), x2: laneX(m), y1: 0, y2: h }, svg);
    } else if (s.kind === "wait") {
      el("rect", { class: "wait", x: 0, y: 0, width: lanesWidth, height: h }, svg);
      for (let m = 0; m < machines; ++m) el("rect", { class: "life", x: m * lane + mid, y: 0, width: 1, height: h }, svg);
    } else {
      div.style.backgroundImage = lifelines;
    }
    if (folded) {
      const t = el("text", { class: "fold-label", x: lanesWidth / 2, y: h / 2 + 4, "text-anchor": "middle" }, svg);
      t.textContent = "\u2026 " + s.duration + " \u2026";
    }
    if (s.movers.length > 0) {
      const y = rowH / 2;
      const xs = s.movers.map(laneX);
      if (xs.length > 1) el("line", { class: "sync", x1: Math.min.apply(null, xs), x2: Math.max.apply(null, xs), y1: y, y2: y }, svg);
      xs.forEach(function (x, k) { el("circle", { class: k === 0 ? "move" : "receive", cx: x, cy: y, r: k === 0 ? 6 : 4 }, svg); });
    }
    return div;
  }

  const list = document.getElementById("steps");
  list.dataset.pxPerTick = pxPerTick;
  const items = steps.map(function (s, i) {
    const li = document.createElement("li");
    const h = rowHeight(s);
    if (s.kind !== "action") li.style.height = h + "px";
    li.dataset.index = i;
    li.dataset.state = s.state;
    li.dataset.first = s.first;
    li.dataset.last = s.last;
    li.dataset.from = s.from;
    li.dataset.time = s.time;
    li.className = s.kind + (s.cycle ? " cycle" : "") + (i === violation ? " violation" : "") + (isFolded(s) ? " folded" : "");
    cell(li, "c-time", timeText(s));
    cell(li, "c-num", stepNumbers(s));
    li.appendChild(drawLanes(s, h));
    const text = cell(li, "text", (s.channel ? s.channel + ": " : "") + s.text);
    if (s.cycleStart) text.insertBefore(Object.assign(document.createElement("span"), { className: "cycle-mark", textContent: "[the cycle repeats from here]  " }), text.firstChild);
    const effects = s.effects.map(function (x) { return x.text; }).join(", ");
    if (effects) cell(text, "effects", "   {" + effects + "}");
    for (const note of s.note || []) cell(text, "note", "   => " + note);
    li.title = text.textContent;
    li.addEventListener("click", function () { select(i, false, true); });
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

  // The entry showing step n (numbered from 1; 0 is the start).
  function entryOf(n) {
    for (let i = 0; i <= last; ++i)
      if (steps[i].first <= n && n <= steps[i].last) return i;
    return n <= 0 ? 0 : last;
  }
  function hashStep() {
    const m = /^#step=(\d+)$/.exec(location.hash);
    return m ? Number(m[1]) : null;
  }

  function select(i, scroll, setHash) {
    selected = Math.max(0, Math.min(last, i));
    items.forEach(function (li, k) { li.classList.toggle("selected", k === selected); });
    const s = steps[selected];
    const now = TRACE.states[s.state];
    const before = selected > 0 ? TRACE.states[steps[selected - 1].state] : now;
    const read = new Set(), unchanged = new Set(), assigned = new Set();
    s.effects.forEach(function (x) { (x.kind === "read" ? read : x.unchanged ? unchanged : assigned).add(x.slot); });
    cells.forEach(function (c, v) {
      c.value.textContent = now[v];
      c.row.classList.toggle("changed", now[v] !== before[v]);
      c.row.classList.toggle("unchanged", unchanged.has(v) && !assigned.has(v) && now[v] === before[v]);
      c.row.classList.toggle("read", read.has(v));
    });
    const which = s.kind === "start" ? "the start" : "step " + stepNumbers(s);
    document.getElementById("state-caption").textContent = "state after " + which + " (time " + (s.at || s.time) + ")";
    const effects = document.getElementById("effects");
    effects.textContent = "";
    const lines = s.kind === "start" ? [{ kind: "", text: "the initial state" }]
                : s.kind === "wait" ? [{ kind: "", text: s.text }]
                : [{ kind: "", text: (s.channel ? s.channel + ": " : "") + s.text }].concat(s.effects);
    lines.forEach(function (x) {
      const li = document.createElement("li");
      li.className = x.kind + (x.unchanged ? " unchanged" : "");
      li.textContent = x.text;
      effects.appendChild(li);
    });
    if (scroll) items[selected].scrollIntoView({ block: scroll === "center" ? "center" : "nearest" });
    if (setHash) {
      const n = hashStep();
      if (n === null || entryOf(n) !== selected) {
        try { history.replaceState(null, "", "#step=" + (s.kind === "start" ? 0 : s.first)); } catch (e) { /* a page that may not */ }
      }
    }
  }
  document.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.key === "ArrowRight" || e.key === "ArrowDown" || e.key === "j") select(selected + 1, true, true);
    else if (e.key === "ArrowLeft" || e.key === "ArrowUp" || e.key === "k") select(selected - 1, true, true);
    else if (e.key === "Home" || e.key === "g") select(0, true, true);
    else if (e.key === "End" || e.key === "G") select(last, true, true);
    else return;
    e.preventDefault();
  });
  window.addEventListener("hashchange", function () {
    const n = hashStep();
    if (n !== null) select(entryOf(n), "center", false);
  });
  // The sticky part's height: what a selected row must stay below.
  function layout() { document.documentElement.style.setProperty("--top", document.getElementById("top").offsetHeight + "px"); }
  layout();
  window.addEventListener("resize", layout);
  // The page opens at the start, or at the step its address names.
  const n = hashStep();
  if (n !== null) {
    select(entryOf(n), "center", false);
  } else {
    select(0, false, false);
    window.scrollTo(0, 0);
  }
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
  data["count"] = trace_count(model, trace);
  data["violation"] = header.verdict == "violated" || header.verdict == "model error";
  // "</" would end the script element early: JSON allows "<\/" for it.
  std::string text = data.dump(-1, ' ', true, json::error_handler_t::replace);
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
