// The built book's host of exercise.js: a small local model per exercise (no kernel), the
// learner's progress in localStorage, and the "My progress" page with its export.
// The progress has the schema of peaceops-practice.json (practice_log.py), so that the exported
// file is read by `peaceops progress` like the one JupyterLab writes.

const PROGRESS_KEY = "peaceops-practice";
const PROGRESS_FILE = "peaceops-practice.json";

function readProgress() {
  try {
    const data = JSON.parse(window.localStorage.getItem(PROGRESS_KEY) || "null");
    if (data && data.schema === 1 && data.checks && typeof data.checks === "object") return data;
  } catch (error) { /* unreadable or storage blocked: start afresh */ }
  return { schema: 1, checks: {} };
}

function writeProgress(data) {
  try {
    window.localStorage.setItem(PROGRESS_KEY, JSON.stringify(data));
    return true;
  } catch (error) {
    return false;  // storage blocked (e.g. a private window's settings): practice goes on
  }
}

function nowIso() {  // as practice_log.py's now(): seconds, UTC as +00:00
  return new Date().toISOString().slice(0, 19) + "+00:00";
}

/** One Check, as practice_log.record_check adds it to the file, with its answers (the last
 *  attempt, restored on a reload). */
function recordCheck(checkId, points, maxPoints, answers) {
  const data = readProgress();
  const entry = data.checks[checkId] || { attempts: 0, best: 0, first_correct_at: null };
  entry.attempts = (Number(entry.attempts) || 0) + 1;
  entry.last = points;
  entry.max = maxPoints;
  entry.best = Math.max(Number(entry.best) || 0, points);
  entry.last_at = nowIso();
  if (points === maxPoints && !entry.first_correct_at) entry.first_correct_at = entry.last_at;
  entry.answers = answers;
  data.checks[checkId] = entry;
  return writeProgress(data) ? entry : null;
}

function progressLine(ui, entry) {
  if (!entry || !entry.attempts) return "";
  const times = entry.attempts === 1 ? ui.one_check : fmt(ui.n_checks, { n: entry.attempts });
  const done = entry.first_correct_at ? ui.answered_correctly : "";
  return fmt(ui.progress_line, { times, best: num(entry.best), max: num(entry.max), done });
}

/** The local model that stands in for anywidget's in the book. */
function localModel(payload) {
  const entry = readProgress().checks[payload.id];
  const last = entry && entry.answers && typeof entry.answers === "object" && !Array.isArray(entry.answers)
    ? entry.answers : null;
  const state = { payload, host: "book", chosen: last || {}, last, notes: [],
                  status: progressLine(payload.words.ui, entry) + (last ? payload.words.ui.last_shown : "") };
  const listeners = {};
  const model = {
    get: (name) => state[name],
    set(name, value) {
      state[name] = value;
      (listeners[`change:${name}`] || []).slice().forEach((f) => f());
    },
    save_changes() {},
    on(event, f) { (listeners[event] = listeners[event] || []).push(f); },
    off(event, f) { listeners[event] = (listeners[event] || []).filter((g) => g !== f); },
    send(message) {
      if (!message || message.event !== "check" || payload.mode !== "practice") return;
      const entry = recordCheck(payload.id, message.points, message.max_points, message.answers);
      model.set("status", entry ? progressLine(payload.words.ui, entry) : payload.words.ui.not_kept);
    },
  };
  return model;
}

function mountExercises(root) {
  for (const host of root.querySelectorAll(".peaceops-book-exercise:not([data-mounted])")) {
    const script = host.querySelector("script.peaceops-payload");
    if (!script) continue;
    const payload = JSON.parse(script.textContent);
    if (payload.mode !== "practice") continue;  // the book shows practice checks only
    host.setAttribute("data-mounted", "");
    const fallback = host.querySelector(".peaceops-static");
    if (fallback) fallback.remove();
    render({ model: localModel(payload), el: host });
  }
}

/* ---- "My progress" ---------------------------------------------------------------------- */

function progressTable(course, checks) {
  const ui = course.words.ui;
  // Stacked on a phone like the lessons' tables (exercise.css): each cell names its column.
  const table = el("table", { class: "peaceops-table po-progress-table", role: "table" });
  table.append(el("caption", { text: ui.caption }));
  const head = el("tr", { role: "row" });
  const columns = [ui.col_lesson, ui.col_check, ui.col_status, ui.col_made, ui.col_best];
  for (const h of columns) head.append(el("th", { scope: "col", role: "columnheader", text: h }));
  table.append(el("thead", { role: "rowgroup" }, head));
  const body = el("tbody", { role: "rowgroup" });
  const cell = (n, attrs, ...children) => el("td", { role: "cell", "data-label": columns[n], ...attrs }, ...children);
  let done = 0;
  let total = 0;
  for (const lesson of course.lessons) {
    lesson.checks.forEach((check, n) => {
      total += 1;
      const entry = checks[check.id];
      const status = !entry || !entry.attempts ? ui.not_tried
        : entry.first_correct_at ? ui.done : ui.tried;
      if (entry && entry.first_correct_at) done += 1;
      const row = el("tr", { "data-check": check.id, role: "row" });
      if (n === 0) {
        const th = el("th", { scope: "row", role: "rowheader", rowspan: String(lesson.checks.length) });
        th.append(el("a", { href: lesson.href, text: lesson.title }));
        row.append(th);
      }
      const link = el("a", { href: `${lesson.href}#exercise-${check.id}`, text: check.title,
                             lang: check.lang || null });  // "en": not translated yet
      row.append(cell(1, {}, link), cell(2, { text: status }),
                 cell(3, { text: String(entry ? entry.attempts || 0 : 0) }),
                 cell(4, { text: entry && entry.attempts ? `${num(entry.best)} / ${num(entry.max)}` : "—" }));
      body.append(row);
    });
  }
  table.append(body);
  return { table, done, total };
}

/** The checks of an exported progress file, or an Error saying what is wrong with it. */
function readExport(text, ui) {
  let data;
  try { data = JSON.parse(text); } catch (error) { return new Error(ui.not_json); }
  if (!data || data.schema !== 1 || !data.checks || typeof data.checks !== "object" || Array.isArray(data.checks)) {
    return new Error(fmt(ui.not_export, { file: PROGRESS_FILE }));
  }
  for (const [id, entry] of Object.entries(data.checks)) {
    if (!entry || typeof entry !== "object" || !Number.isFinite(Number(entry.attempts))
        || !Number.isFinite(Number(entry.best)) || !Number.isFinite(Number(entry.max))) {
      return new Error(fmt(ui.bad_entry, { id }));
    }
  }
  return data.checks;
}

/** This browser's progress with `checks` imported: per check the later attempt, the best
 *  score and the first correct answer of either (importing the same file twice changes
 *  nothing). */
function mergeProgress(checks) {
  const data = readProgress();
  for (const [id, theirs] of Object.entries(checks)) {
    const mine = data.checks[id];
    if (!mine) { data.checks[id] = theirs; continue; }
    const later = String(theirs.last_at || "") > String(mine.last_at || "") ? theirs : mine;
    const firsts = [mine.first_correct_at, theirs.first_correct_at].filter(Boolean).sort();
    data.checks[id] = { ...later, attempts: Math.max(Number(mine.attempts) || 0, Number(theirs.attempts) || 0),
                        best: Math.max(Number(mine.best) || 0, Number(theirs.best) || 0),
                        first_correct_at: firsts[0] || null };
  }
  return writeProgress(data);
}

function mountProgress(root) {
  for (const host of root.querySelectorAll(".peaceops-progress:not([data-mounted])")) {
    host.setAttribute("data-mounted", "");
    const course = JSON.parse(host.querySelector("script.peaceops-progress-data").textContent);
    const ui = course.words.ui;
    const fallback = host.querySelector(".peaceops-static");
    if (fallback) fallback.remove();
    const summary = el("p", { class: "po-progress-summary", role: "status", "aria-live": "polite" });
    const place = el("div");
    const exportButton = el("button", { type: "button", class: "po-button po-primary",
                                        text: fmt(ui.export, { file: PROGRESS_FILE }) });
    const clearButton = el("button", { type: "button", class: "po-button", text: ui.forget });
    const draw = () => {
      const { table, done, total } = progressTable(course, readProgress().checks);
      place.replaceChildren(table);
      summary.textContent = fmt(ui.summary, { done, total });
    };
    exportButton.addEventListener("click", () => {
      const blob = new Blob([JSON.stringify(readProgress(), null, 1)], { type: "application/json" });
      const link = el("a", { href: URL.createObjectURL(blob), download: PROGRESS_FILE });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 1000);
      summary.textContent = fmt(ui.exported, { file: PROGRESS_FILE });
    });
    const pickId = `${host.id || "po-progress"}-import`;
    const picker = el("input", { type: "file", id: pickId, accept: ".json,application/json",
                                 class: "po-import-file" });
    const importer = el("p", { class: "po-import" },
      el("label", { for: pickId, text: fmt(ui.import, { file: PROGRESS_FILE }) }), picker);
    picker.addEventListener("change", () => {
      const file = picker.files && picker.files[0];
      if (!file) return;
      file.text().then((text) => {
        const checks = readExport(text, ui);
        if (checks instanceof Error) {
          summary.textContent = fmt(ui.not_imported, { name: file.name, reason: checks.message });
        } else if (!mergeProgress(checks)) {
          summary.textContent = ui.import_blocked;
        } else {
          draw();
          const n = Object.keys(checks).length;
          summary.textContent += fmt(n === 1 ? ui.imported_one : ui.imported_n, { n, name: file.name });
        }
        picker.value = "";
      });
    });
    clearButton.addEventListener("click", () => {
      if (!window.confirm(ui.forget_confirm)) return;
      writeProgress({ schema: 1, checks: {} });
      draw();
    });
    host.append(summary, place, el("div", { class: "po-buttons", role: "group", "aria-label": ui.your_progress },
                                   exportButton, clearButton), importer);
    draw();
    window.addEventListener("storage", (event) => { if (event.key === PROGRESS_KEY) draw(); });
  }
}

function mountBook() {
  mountExercises(document);
  mountProgress(document);
}
