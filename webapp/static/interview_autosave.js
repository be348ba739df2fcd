// Interview answers save themselves while the interviewer types: each question's answer and
// quote go to the page's JSON endpoint a moment after the last keystroke, and when the field
// loses focus. Without this script the page's "Save answers" button posts the whole form.
(function () {
  "use strict";

  const form = document.getElementById("interview-form");
  if (!form || !window.fetch) {
    return;
  }
  const url = form.dataset.autosaveUrl;
  const token = form.querySelector("input[name=csrf_token]");
  const status = document.getElementById("autosave-status");
  const DELAY_MS = 800;
  const timers = new Map();
  const inFlight = new Map();
  const dirty = new Set();

  function hhmm(iso) {
    const when = iso ? new Date(iso) : new Date();
    return when.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", hour12: false });
  }

  const failed = new Map();
  let lastSaved = "";

  function showStatus(text, kind) {
    status.textContent = text;
    status.classList.toggle("text-danger", kind === "error");
    status.classList.toggle("text-success", kind === "saved");
  }

  // "Saved at" only when nothing typed is still waiting to be saved.
  function refreshStatus() {
    if (failed.size) {
      showStatus(Array.from(failed.values()).pop(), "error");
    } else if (timers.size || inFlight.size || dirty.size) {
      showStatus(inFlight.size ? "Saving…" : "Unsaved changes", "saving");
    } else if (lastSaved) {
      showStatus("Saved at " + lastSaved, "saved");
    }
  }

  function field(kind, key) {
    return document.getElementById(kind + "-" + key);
  }

  function questionStatus(key) {
    return form.querySelector("[data-status-for='" + CSS.escape(key) + "']");
  }

  function showFieldErrors(key, errors) {
    for (const kind of ["answer", "quote"]) {
      const input = field(kind, key);
      const message = errors[kind + "-" + key];
      input.classList.toggle("is-invalid", Boolean(message));
      let box = form.querySelector("[data-error-for='" + CSS.escape(kind + "-" + key) + "']");
      if (message && !box) {
        box = document.createElement("div");
        box.className = "invalid-feedback d-block";
        box.dataset.errorFor = kind + "-" + key;
        input.insertAdjacentElement("afterend", box);
      }
      if (box) {
        box.textContent = message || "";
        box.classList.toggle("d-none", !message);
      }
    }
  }

  async function save(key) {
    timers.delete(key);
    if (inFlight.has(key)) {
      // One request per question at a time; the newest text is sent when this one returns.
      dirty.add(key);
      return;
    }
    dirty.delete(key);
    const body = { question_key: key, answer: field("answer", key).value, quote: field("quote", key).value };
    const perQuestion = questionStatus(key);
    perQuestion.textContent = "Saving…";
    const request = fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json",
                 "X-CSRFToken": token ? token.value : "" },
      body: JSON.stringify(body),
    });
    inFlight.set(key, request);
    refreshStatus();
    try {
      const response = await request;
      const isJson = (response.headers.get("Content-Type") || "").includes("application/json");
      if (!isJson) {
        throw new Error(response.status === 404 ? "this interview is gone" :
          "you may have been signed out; save with the button below");
      }
      const reply = await response.json();
      if (!response.ok) {
        showFieldErrors(key, reply.errors || {});
        perQuestion.textContent = "Not saved";
        failed.set(key, reply.error || "Not saved");
        return;
      }
      showFieldErrors(key, {});
      failed.delete(key);
      lastSaved = hhmm(reply.saved_at);
      perQuestion.textContent = "Saved at " + lastSaved;
    } catch (error) {
      perQuestion.textContent = "Not saved";
      failed.set(key, "Not saved: " + error.message);
    } finally {
      inFlight.delete(key);
      if (dirty.has(key)) {
        save(key);
      }
      refreshStatus();
    }
  }

  function schedule(key, delay) {
    clearTimeout(timers.get(key));
    timers.set(key, setTimeout(function () { save(key); }, delay));
    questionStatus(key).textContent = "Unsaved changes";
    refreshStatus();
  }

  form.addEventListener("input", function (event) {
    const key = event.target.dataset.key;
    if (key) {
      schedule(key, DELAY_MS);
    }
  });

  form.addEventListener("focusout", function (event) {
    const key = event.target.dataset.key;
    if (key && timers.has(key)) {
      schedule(key, 0);
    }
  });

  form.addEventListener("submit", function () {
    // The plain submit posts every answer; pending autosaves are no longer needed.
    for (const timer of timers.values()) {
      clearTimeout(timer);
    }
    timers.clear();
  });

  window.addEventListener("beforeunload", function (event) {
    if (timers.size || inFlight.size) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  if (status.dataset.savedAt) {
    lastSaved = hhmm(status.dataset.savedAt);
    refreshStatus();
  }
}());
