// GL review: j/k move between lines, x selects, q/n/u decide the selected lines (or the current one).
// Decisions are posted with fetch and the rows updated in place; without JavaScript the form posts as usual.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("gl-decisions");
  if (!form) return;
  const rows = Array.from(form.querySelectorAll("tr.gl-line"));
  const errorBox = document.getElementById("gl-js-error");
  const selectAll = document.getElementById("gl-select-all");
  let current = 0;

  const focusRow = (index) => {
    if (!rows.length) return;
    current = Math.max(0, Math.min(rows.length - 1, index));
    rows.forEach((row, i) => row.classList.toggle("gl-current", i === current));
    rows[current].focus({ preventScroll: true });
    rows[current].scrollIntoView({ block: "nearest" });
  };
  const selected = () => rows.filter((row) => row.querySelector(".gl-select").checked);
  const markSelected = () => rows.forEach((row) => {
    row.classList.toggle("gl-selected", row.querySelector(".gl-select").checked);
  });

  const showErrors = (errors) => {
    form.querySelectorAll("[data-error-for]").forEach((box) => {
      const field = box.dataset.errorFor;
      box.textContent = errors[field] || "";
      const input = box.parentElement.querySelector("select, input");
      if (input) input.classList.toggle("is-invalid", Boolean(errors[field]));
    });
    const general = errors.lines || errors.decision || "";
    errorBox.textContent = general;
    errorBox.classList.toggle("d-none", !general);
  };

  const decide = async (decision, targets) => {
    if (!targets.length) return;
    const data = new FormData(form);
    data.delete("line_ids");
    data.delete("row_action");
    data.set("decision", decision);
    targets.forEach((row) => data.append("line_ids", row.dataset.line));
    let response;
    try {
      response = await fetch(form.action, { method: "POST", body: data, headers: { Accept: "application/json" } });
    } catch (err) {
      showErrors({ lines: "The decision was not saved: the server could not be reached." });
      return;
    }
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      showErrors(body.errors || { lines: `The decision was not saved (HTTP ${response.status}).` });
      return;
    }
    showErrors({});
    (body.lines || []).forEach((line) => {
      const row = form.querySelector(`tr.gl-line[data-line="${line.id}"]`);
      if (!row) return;
      row.querySelector(".gl-decision").innerHTML = line.html;  // rendered by the server's template, escaped
      row.dataset.decision = line.decision;
      row.querySelector(".gl-select").checked = false;
    });
    if (selectAll) selectAll.checked = false;
    markSelected();
  };

  const apply = (decision) => {
    const chosen = selected();
    if (chosen.length) {
      decide(decision, chosen);
    } else if (rows.length) {
      decide(decision, [rows[current]]);
      focusRow(current + 1);
    }
  };

  form.addEventListener("click", (event) => {
    const button = event.target.closest("button[name=row_action]");
    if (!button) return;
    event.preventDefault();
    const [lineId, decision] = button.value.split(":");
    const index = rows.findIndex((row) => row.dataset.line === lineId);
    if (index >= 0) {
      focusRow(index);
      decide(decision, [rows[index]]);
    }
  });
  rows.forEach((row, index) => row.addEventListener("click", (event) => {
    if (!event.target.closest("button, a")) focusRow(index);
  }));
  form.addEventListener("change", (event) => {
    if (event.target === selectAll) {
      rows.forEach((row) => { row.querySelector(".gl-select").checked = selectAll.checked; });
    }
    markSelected();
  });

  const KEYS = { q: "qualified", n: "not_qualified", u: "undecided" };
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.target.closest("input:not([type=checkbox]), select, textarea")) return;
    const key = event.key.toLowerCase();
    if (key === "j") focusRow(current + 1);
    else if (key === "k") focusRow(current - 1);
    else if (key === "x" && rows.length) {
      const box = rows[current].querySelector(".gl-select");
      box.checked = !box.checked;
      markSelected();
    } else if (KEYS[key]) apply(KEYS[key]);
    else return;
    event.preventDefault();
  });

  const fromHash = rows.findIndex((row) => `#${row.id}` === window.location.hash);
  focusRow(fromHash >= 0 ? fromHash : 0);
});
