// The one front end of a peaceops exercise: scoring (the same rule as peaceops.exercises
// scoring.py and each kind's `score`), feedback in the same words, and accessible controls.
//
// Declarations only, no side effects: peaceops/exercises/frontend.py makes it an ES module for
// anywidget in JupyterLab (its default export: render) and, with book.js, a classic script for
// the built book (which must open from file://, where Chromium blocks module scripts).
// It reads nothing but the exercise's payload (peaceops/exercises/payload.py).

/* ---- scoring: a port of scoring.py (normalize, score_item, score) ------------------- */

/** A message of the payload's words (phrases.py, translated) with its {name}s filled in,
 *  as Python's str.format does it. */
function fmt(template, values = {}) {
  return String(template).replace(/\{(\w+)\}/g, (all, name) =>
    (Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : all));
}

function pyType(value) {
  if (value === null || value === undefined) return "NoneType";
  if (Array.isArray(value)) return "list";
  if (typeof value === "boolean") return "bool";
  if (typeof value === "number") return Number.isInteger(value) ? "int" : "float";
  if (typeof value === "string") return "str";
  return "dict";
}

function pyRepr(value) {
  if (typeof value === "string") {
    const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
    let out = "";
    for (const ch of value) {
      const code = ch.codePointAt(0);
      if (ch === "\\") out += "\\\\";
      else if (ch === quote) out += "\\" + ch;
      else if (ch === "\n") out += "\\n";
      else if (ch === "\r") out += "\\r";
      else if (ch === "\t") out += "\\t";
      else if (code < 0x20 || code === 0x7f) out += "\\x" + code.toString(16).padStart(2, "0");
      else out += ch;
    }
    return quote + out + quote;
  }
  if (value === null || value === undefined) return "None";
  if (typeof value === "boolean") return value ? "True" : "False";
  if (Array.isArray(value)) return "[" + value.map(pyRepr).join(", ") + "]";
  if (typeof value === "object") {
    return "{" + Object.entries(value).map(([k, v]) => pyRepr(k) + ": " + pyRepr(v)).join(", ") + "}";
  }
  return String(value);
}

function isChoiceValue(value) {
  return typeof value === "string" || (typeof value === "number" && Number.isInteger(value));
}

/** [value, ""] for a well-typed answer, [null, reason] for an ill-typed one. */
function normalize(item, answer, say = fmt) {
  const values = new Set(item.choices.map((choice) => choice[0]));
  if (answer === null || answer === undefined || answer === "" ||
      (Array.isArray(answer) && answer.length === 0)) {
    return [null, ""];
  }
  if (item.multiple) {
    if (!Array.isArray(answer)) return [null, say("want_list", { type: pyType(answer) })];
    const chosen = answer.map((a) => (isChoiceValue(a) ? String(a) : a));
    const unknown = chosen.filter((a) => typeof a !== "string" || !values.has(a));
    if (unknown.length) return [null, say("not_choice", { answer: pyRepr(unknown[0]) })];
    return [[...new Set(chosen)].sort(), ""];
  }
  if (!isChoiceValue(answer)) return [null, say("want_one", { type: pyType(answer) })];
  if (!values.has(String(answer))) return [null, say("not_choice", { answer: pyRepr(answer) })];
  return [String(answer), ""];
}

function sameSet(a, b) {
  return a.length === b.length && a.every((v) => b.includes(v));
}

/** A select-all item's share of its point, as scoring.py's `selection_credit`. */
function selectionCredit(item, accept, chosen) {
  const n = item.choices.length;
  let best = 0;
  for (const group of accept) {
    const k = group.length;
    const hits = chosen.filter((v) => group.includes(v)).length;
    const wrong = chosen.length - hits;
    const share = (k ? hits / k : 0) - (n > k ? wrong / (n - k) : 0);
    best = Math.max(best, share);
  }
  return best;
}

function scoreItem(item, key, answer, say) {
  const [value, problem] = normalize(item, answer, say);
  const labels = Object.fromEntries(item.choices);
  const common = { item: item.id, answer: answer === undefined ? null : answer,
                   max_points: key.points, rationale: key.rationale, source: key.source };
  if (problem) return { ...common, points: 0, status: "invalid", feedback: say("not_scored", { problem }) };
  if (value === null) return { ...common, points: 0, status: "unanswered", feedback: "" };
  const right = item.multiple ? key.accept.some((group) => sameSet(group, value))
                              : key.accept.includes(value);
  if (right) return { ...common, points: key.points, status: "correct", feedback: "" };
  if (item.multiple) {  // a select-all item: keyed options chosen minus the others chosen
    const share = selectionCredit(item, key.accept, value);
    if (share > 0) {
      const chosen = value.map((v) => labels[v]).join(" + ");
      return { ...common, points: key.points * share, status: "partial",
               feedback: say("partly", { given: chosen, key: key.shows }) };
    }
  }
  const given = item.multiple ? value.map((v) => labels[v]).join(" + ") : labels[value];
  return { ...common, points: 0, status: "incorrect",
           feedback: say("chose", { given, key: key.shows }) };
}

/** For each scale item, the items the key ranks apart from it: +1 wholly above, -1 below
 * (overlapping keyed ranges rank nothing), as weighing.py's `apart`. */
function apart(bounds) {
  const found = {};
  for (const [p, [low, high]] of Object.entries(bounds)) {
    found[p] = {};
    for (const [q, [lowQ, highQ]] of Object.entries(bounds)) {
      if (low > highQ) found[p][q] = 1;
      else if (high < lowQ) found[p][q] = -1;
    }
  }
  return found;
}

/** Scale items (a principle's weight) scored by ORDER, as weighing.py's `score`: each earns
 * the share of the items the key ranks apart from it that the learner ranks the same way. */
function orderScore(data, results) {
  const say = (name, values) => fmt(data.words.feedback[name], values);
  const scale = data.items.map((item, n) => [item, results[n]]).filter(([item]) => item.scale);
  if (!scale.length) return results;
  const bounds = {};
  const weights = {};
  const names = {};
  for (const [item, res] of scale) {
    const accept = data.key[item.id].accept.map(Number);
    bounds[item.id] = [Math.min(...accept), Math.max(...accept)];
    weights[item.id] = res.status === "correct" || res.status === "incorrect" ? Number(String(res.answer)) : null;
    names[item.id] = item.prompt;
  }
  const ranked = apart(bounds);
  return results.map((res) => {
    if (!(res.item in weights) || weights[res.item] === null) return res;
    const mine = weights[res.item];
    const others = Object.entries(ranked[res.item]);
    if (!others.length) {  // ranked apart from none: all or nothing by its keyed range
      const [low, high] = bounds[res.item];
      if (low <= mine && mine <= high) return { ...res, points: res.max_points, status: "correct", feedback: "" };
      return { ...res, points: 0, status: "incorrect",
               feedback: say("weigh_alone", { weight: mine, low, high }) };
    }
    const wrong = (q, side) => !(weights[q] !== null && (mine - weights[q]) * side > 0);
    const above = others.filter(([q, side]) => side > 0 && wrong(q, side)).map(([q]) => names[q]).sort();
    const below = others.filter(([q, side]) => side < 0 && wrong(q, side)).map(([q]) => names[q]).sort();
    const right = others.length - above.length - below.length;
    const share = others.length ? right / others.length : 0;
    const status = share === 1 ? "correct" : share > 0 ? "partial" : "incorrect";
    const parts = (above.length ? [say("above", { names: above.join(", ") })] : [])
      .concat(below.length ? [say("below", { names: below.join(", ") })] : []);
    const n = others.length;
    const both = parts.length === 2 ? say("both", { above: parts[0], below: parts[1] }) : parts[0];
    const feedback = share === 1 ? "" : say(n === 1 ? "weigh_one" : "weigh_many",
                                            { right, n, parts: both, weight: mine });
    return { ...res, points: res.max_points * share, status, feedback };
  });
}

/** Score answers ({item id: answer}) against the payload's key, as the Python kind does. */
function score(data, answers) {
  const say = (name, values) => fmt(data.words.feedback[name], values);
  let reason = "";
  if (answers === null || typeof answers !== "object" || Array.isArray(answers)) {
    answers = {};
    reason = say("not_mapping");
  }
  const own = (id) => (Object.prototype.hasOwnProperty.call(answers, id) ? answers[id] : null);
  const items = orderScore(data, data.items.map((item) => scoreItem(item, data.key[item.id], own(item.id), say)));
  const points = items.reduce((s, r) => s + r.points, 0);
  const maxPoints = items.reduce((s, r) => s + r.max_points, 0);
  // scored by order (weighing.py rounds so): shares of a third must not depend on the sum's order
  const round9 = (x) => (data.items.some((item) => item.scale) ? Number(x.toFixed(9)) : x);
  return { exercise: data.id, points: round9(points), max_points: round9(maxPoints), items, reason };
}

/* ---- practice order: statements and options shuffled on each load -------------------- */

/** A copy of `values` in a random order (Fisher-Yates; `random` returns [0, 1)). */
function shuffle(values, random) {
  const out = values.slice();
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/**
 * The payload as a practice check shows it: its items (statements) in a random order, and
 * each item's choices too, except a scale (an item scored by order, e.g. a weight 0-3,
 * keeps its order). Items that share one list of choices (role matching, polarity sorting)
 * share one random order of it, so that every dropdown reads alike. Scoring is by item id
 * and choice value, so the order changes nothing of it; an assessment is left as it is (its
 * order is the learner's variant, drawn in Python).
 */
function arrange(data, random = Math.random) {
  if (data.mode !== "practice") return data;
  const sameList = (item) => JSON.stringify(item.choices);
  const orders = {};
  const items = shuffle(data.items, random).map((item) => {
    if (item.scale) return item;
    const list = sameList(item);
    if (!orders[list]) orders[list] = shuffle(item.choices, random);
    return { ...item, choices: orders[list] };
  });
  return { ...data, items };
}

/* ---- feedback: the words of render.py (feedback_html) and widget.py (verdict) ------------ */

function esc(text) {  // as Python's html.escape
  return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;").replace(/'/g, "&#x27;");
}

function num(x) {  // Python's format(x, "g") for the small numbers of a score
  return String(Number.isInteger(x) ? x : +x.toPrecision(6));
}

function sourceHtml(data, source) {  // render.py's _source
  return `<small>${esc(fmt(data.words.feedback.source, { source }))}</small>`;
}

function feedbackHtml(data, result) {
  const words = data.words.status;
  const rows = [`<p><strong>${esc(data.title)}: ${num(result.points)} / ${num(result.max_points)}</strong>`
    + (result.reason ? ` — ${esc(result.reason)}` : "") + "</p><ul>"];
  data.items.forEach((item, n) => {
    const res = result.items[n];
    const label = item.prompt === data.prompt ? "" : `${esc(item.prompt)} — `;
    rows.push(`<li>${label}<strong>${words[res.status]}</strong>. ${esc(res.feedback)} `
      + `${esc(res.rationale)} ${sourceHtml(data, res.source)}</li>`);
  });
  rows.push("</ul>");
  return rows.join("");
}

function verdictHtml(data, result) {
  const verdict = data.words.verdict[result.points === result.max_points ? "right" : "wrong"];
  return `<p><strong>${verdict}</strong></p>`;
}

function answerHtml(data) {  // "Show answer": every item's key, its reason and source
  const rows = data.items.map((item) => {
    const key = data.key[item.id];
    const label = item.prompt === data.prompt ? "" : `${esc(item.prompt)}: `;
    return `<li>${label}<strong>${esc(key.shows)}</strong>. ${esc(key.rationale)} `
      + `${sourceHtml(data, key.source)}</li>`;
  });
  return `<p><strong>${esc(data.words.ui.answer)}</strong></p><ul>${rows.join("")}</ul>`;
}

/* ---- the controls ------------------------------------------------------------------------- */

let mounted = 0;  // unique ids when the same exercise is shown twice

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (name === "text") node.textContent = value;
    else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

/** "en" for a text the payload lists as not yet translated (marked so for screen readers). */
function english(data, text) {
  return (data.untranslated || []).includes(text) ? "en" : null;
}

function itemControl(data, item, n, uid) {
  const ui = data.words.ui;
  const id = `${uid}-${n}`;
  const own = item.prompt !== data.prompt;  // else the exercise's prompt is the question
  const caption = own ? `${n}. ${item.prompt}` : item.label;
  const lang = english(data, own ? item.prompt : item.label);
  if (item.control === "select") {
    const select = el("select", { id, class: "po-select", "data-item": item.id });
    select.append(el("option", { value: "", text: ui.choose }));
    for (const [value, label] of item.choices) {
      select.append(el("option", { value, text: label, lang: english(data, label) }));
    }
    const wrap = el("div", { class: "po-item", "data-item": item.id },
      el("label", { for: id, class: "po-prompt", text: caption, lang }), select);
    return { node: wrap, read: () => select.value || null, mark: marker(wrap, select, `${id}-mark`),
             write: (v) => { select.value = typeof v === "string" ? v : ""; } };
  }
  const type = item.control === "checkbox" ? "checkbox" : "radio";
  const inline = item.choices.length <= 4 && item.choices.every(([, l]) => l.length <= 24);
  const group = el("fieldset", { class: `po-item po-${type}${inline ? " po-inline" : ""}`,
                                 "data-item": item.id },
    el("legend", { class: "po-prompt", text: caption, lang }));
  const inputs = item.choices.map(([value, label], j) => {
    const input = el("input", { type, id: `${id}-${j}`, name: id, value });
    group.append(el("label", { class: "po-choice", for: `${id}-${j}`, lang: english(data, label) },
                    input, document.createTextNode(" " + label)));
    return input;
  });
  const mark = marker(group, group, `${id}-mark`);
  if (type === "checkbox") {
    return { node: group, read: () => inputs.filter((i) => i.checked).map((i) => i.value).sort(), mark,
             write: (v) => { const set = Array.isArray(v) ? v : []; inputs.forEach((i) => { i.checked = set.includes(i.value); }); } };
  }
  return { node: group, read: () => (inputs.find((i) => i.checked) || {}).value || null, mark,
           write: (v) => inputs.forEach((i) => { i.checked = i.value === v; }) };
}

/** After Try again: the item's last verdict, beside its answer (which stays), in words and
 *  tied to the control by aria-describedby; `mark(null)` removes it. */
function marker(node, control, id) {
  return (text, status) => {
    const old = node.querySelector(":scope > .po-mark");
    if (old) old.remove();
    if (!text) { delete node.dataset.last; control.removeAttribute("aria-describedby"); return; }
    node.append(el("span", { id, class: "po-mark", text }));
    node.dataset.last = status;
    control.setAttribute("aria-describedby", id);
  };
}

/** Keys that JupyterLab would take for its own shortcuts (arrows, Space, letters): kept for
 *  the controls. Tab, Escape and shortcuts with Ctrl/Alt/Meta still reach JupyterLab. */
function keepKeys(event) {
  if (event.key === "Tab" || event.key === "Escape" || event.ctrlKey || event.altKey || event.metaKey) return;
  event.stopPropagation();
}

/**
 * Render the exercise of `model` into `el`. The model is anywidget's in JupyterLab, or the
 * book's small local model (book.js). Traits: payload (read only), chosen ({item: answer}; set
 * by the learner, and by Python on restore), status and notes (text set by the host), host,
 * and (the book only) last: the answers of the last Check, shown checked again on a reload.
 * A practice check shows its statements and options in a new order on each load (arrange).
 * Check sends {event: "check", answers, points, max_points}: the kernel logs it to the practice
 * log (and scores it again itself); the book keeps it in localStorage.
 */
function render({ model, el: host }) {
  const data = arrange(model.get("payload"));
  const uid = `po-${data.id}-${++mounted}`.replace(/[^A-Za-z0-9_-]/g, "-");
  const practice = data.mode === "practice";
  const ui = data.words.ui;
  // A named group, not a landmark: several exercises of a page may share a title.
  const root = el("div", { class: "po-root", role: "group", "aria-labelledby": `${uid}-title`,
                               "data-exercise": data.id, "data-mode": data.mode });
  root.append(el("h3", { id: `${uid}-title`, class: "po-title", text: data.title,
                         lang: english(data, data.title) }));
  if (data.context) {
    root.append(el("p", { class: "po-context" }, el("em", { text: ui.scenario }), " ",
                   el("span", { text: data.context, lang: english(data, data.context) })));
  }
  root.append(el("p", { class: "po-task", text: data.prompt, lang: english(data, data.prompt) }));
  const controls = data.items.map((item, n) => itemControl(data, item, n + 1, uid));
  const list = el("div", { class: "po-items" });
  controls.forEach((c) => list.append(c.node));
  root.append(list);

  const read = () => Object.fromEntries(data.items.map((item, n) => [item.id, controls[n].read()]));
  const write = (answers) => data.items.forEach((item, n) =>
    controls[n].write(answers && Object.prototype.hasOwnProperty.call(answers, item.id) ? answers[item.id] : null));
  write(model.get("chosen") || {});

  const said = el("div", { class: "po-said", role: "status", "aria-live": "polite" });
  const detail = el("div", { class: "po-feedback" });
  const status = el("p", { class: "po-status", "aria-live": "polite" });
  const notes = el("div", { class: "po-notes", role: "alert" });
  const show = (verdict, html) => { said.innerHTML = verdict; detail.innerHTML = html; };
  const words = data.words.status;
  const mark = (result) => data.items.forEach((item, n) => {
    const status = result ? result.items[n].status : "";
    controls[n].mark(status && fmt(ui.last_check, { status: words[status] }), status);
  });
  let last = null;  // the result of the last Check
  const checked = (answers) => {
    last = score(data, answers);
    mark(null);
    show(verdictHtml(data, last), feedbackHtml(data, last));
    root.dataset.result = last.points === last.max_points ? "right" : "wrong";
    return last;
  };

  if (practice) {
    const button = (label, title) => el("button", { type: "button", class: "po-button", title, text: label });
    const check = button(ui.check, ui.check_title);
    const hint = button(ui.hint, ui.hint_title);
    const reset = button(ui.again, ui.again_title);
    const reveal = button(ui.reveal, ui.reveal_title);
    check.classList.add("po-primary");
    check.addEventListener("click", () => {
      const answers = read();
      const result = checked(answers);
      model.send({ event: "check", answers, points: result.points, max_points: result.max_points });
    });
    hint.addEventListener("click", () => {
      show(`<p><strong>${esc(ui.hint_label)}</strong> ${esc(data.hint || ui.hint_default)}</p>`, "");
    });
    reset.addEventListener("click", () => {  // as Moodle's "Try again": the answers stay
      show("", "");
      delete root.dataset.result;
      mark(last);
    });
    reveal.addEventListener("click", () => show(`<p><strong>${esc(ui.revealed)}</strong></p>`, answerHtml(data)));
    root.append(el("div", { class: "po-buttons", role: "group", "aria-label": fmt(ui.actions, { title: data.title }) },
                   check, hint, reset, reveal));
  }
  root.append(said, detail, status, notes);

  const changed = () => { model.set("chosen", read()); model.save_changes(); };
  list.addEventListener("change", changed);
  if (model.get("host") !== "book") root.addEventListener("keydown", keepKeys);
  const onChosen = () => write(model.get("chosen") || {});
  const onStatus = () => { status.textContent = model.get("status") || ""; };
  const onNotes = () => { notes.replaceChildren(...(model.get("notes") || []).map((t) =>
    el("p", {}, el("strong", { text: ui.note }), document.createTextNode(" " + t)))); };
  model.on("change:chosen", onChosen);
  model.on("change:status", onStatus);
  model.on("change:notes", onNotes);
  onStatus();
  onNotes();
  if (practice && model.get("last")) checked(model.get("last"));  // the book: the last attempt
  host.classList.add("peaceops-exercise");
  host.append(root);
  return () => {
    model.off("change:chosen", onChosen);
    model.off("change:status", onStatus);
    model.off("change:notes", onNotes);
  };
}
