// Evidence upload: drag and drop of files and folders, a list of what was chosen, and an
// upload through XMLHttpRequest so a progress bar can follow large files. Without this script
// the form still works: its file inputs post as a plain multipart form.
(function () {
  "use strict";

  const form = document.getElementById("evidence-upload");
  if (!form || !window.FormData || !window.XMLHttpRequest) {
    return;
  }
  const zone = document.getElementById("drop-zone");
  const list = document.getElementById("chosen-files");
  const errorBox = document.getElementById("upload-error");
  const progress = document.getElementById("upload-progress");
  const bar = document.getElementById("upload-progress-bar");
  const submit = document.getElementById("upload-submit");
  const inputs = Array.from(form.querySelectorAll("input[type=file]"));
  let dropped = [];

  function sizeText(bytes) {
    const units = ["B", "KB", "MB", "GB"];
    let value = bytes;
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit += 1;
    }
    return (unit === 0 ? value : value.toFixed(1)) + " " + units[unit];
  }

  function chosen() {
    const items = dropped.slice();
    for (const input of inputs) {
      for (const file of input.files) {
        items.push({ file: file, path: file.webkitRelativePath || file.name });
      }
    }
    return items;
  }

  function totalBytes(items) {
    return items.reduce(function (sum, item) { return sum + item.file.size; }, 0);
  }

  function showError(message) {
    errorBox.textContent = message;
    errorBox.classList.toggle("d-none", !message);
  }

  function tooLargeMessage(items) {
    const total = totalBytes(items);
    if (total <= Number(form.dataset.maxBytes)) {
      return "";
    }
    return "These files add up to " + sizeText(total) + ", over the " + form.dataset.limit +
      " limit of one upload. Upload them in smaller batches.";
  }

  function render() {
    const items = chosen();
    list.replaceChildren();
    for (const item of items) {
      const row = document.createElement("li");
      row.className = "chosen-file";
      const name = document.createElement("span");
      name.className = "name mono";
      name.textContent = item.path;
      const size = document.createElement("span");
      size.className = "text-muted text-nowrap";
      size.textContent = sizeText(item.file.size);
      row.append(name, size);
      list.append(row);
    }
    if (items.length) {
      const summary = document.createElement("li");
      summary.className = "text-muted mt-1";
      summary.textContent = items.length + " file" + (items.length === 1 ? "" : "s") + ", " +
        sizeText(totalBytes(items)) + " in all";
      list.append(summary);
    }
    showError(tooLargeMessage(items));
  }

  // A dropped folder is a tree of entries; read it whole, keeping each file's path in it.
  function readEntry(entry) {
    if (entry.isFile) {
      return new Promise(function (resolve, reject) {
        entry.file(function (file) {
          resolve([{ file: file, path: entry.fullPath.replace(/^\/+/, "") }]);
        }, reject);
      });
    }
    const reader = entry.createReader();
    return new Promise(function (resolve, reject) {
      const found = [];
      function batch() {
        reader.readEntries(function (entries) {
          if (!entries.length) {
            resolve(Promise.all(found).then(function (lists) { return lists.flat(); }));
            return;
          }
          for (const child of entries) {
            found.push(readEntry(child));
          }
          batch();
        }, reject);
      }
      batch();
    });
  }

  function droppedItems(transfer) {
    const pending = [];
    const items = transfer.items ? Array.from(transfer.items) : [];
    for (const item of items) {
      if (item.kind !== "file") {
        continue;
      }
      const entry = item.webkitGetAsEntry ? item.webkitGetAsEntry() : null;
      if (entry) {
        pending.push(readEntry(entry));
      } else {
        const file = item.getAsFile();
        pending.push(Promise.resolve(file ? [{ file: file, path: file.name }] : []));
      }
    }
    if (!items.length && transfer.files) {
      for (const file of transfer.files) {
        pending.push(Promise.resolve([{ file: file, path: file.name }]));
      }
    }
    return Promise.all(pending).then(function (lists) { return lists.flat(); });
  }

  function setDragging(on) {
    zone.classList.toggle("drag-over", on);
  }

  ["dragenter", "dragover"].forEach(function (name) {
    zone.addEventListener(name, function (event) {
      event.preventDefault();
      setDragging(true);
    });
  });
  zone.addEventListener("dragleave", function (event) {
    if (!zone.contains(event.relatedTarget)) {
      setDragging(false);
    }
  });
  zone.addEventListener("drop", function (event) {
    event.preventDefault();
    setDragging(false);
    droppedItems(event.dataTransfer).then(function (items) {
      dropped = dropped.concat(items);
      render();
    }, function () {
      showError("The dropped folder could not be read; choose it with the folder button instead.");
    });
  });
  inputs.forEach(function (input) { input.addEventListener("change", render); });

  function setProgress(fraction, text) {
    const percent = Math.round(fraction * 100);
    progress.classList.remove("d-none");
    progress.setAttribute("aria-valuenow", String(percent));
    bar.style.width = percent + "%";
    bar.textContent = text || percent + "%";
  }

  function failed(message) {
    submit.disabled = false;
    progress.classList.add("d-none");
    showError(message);
  }

  function answer(xhr) {
    let body = {};
    try {
      body = JSON.parse(xhr.responseText);
    } catch (ignored) {
      body = {};
    }
    if (xhr.status === 200 && body.job_url) {
      setProgress(1, "Uploaded; reading the evidence…");
      window.location.assign(body.job_url);
      return;
    }
    failed(body.error || "The upload failed (HTTP " + xhr.status + "). Try again.");
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    const items = chosen();
    if (!items.length) {
      showError("Choose at least one file or folder to upload.");
      return;
    }
    const tooLarge = tooLargeMessage(items);
    if (tooLarge) {
      showError(tooLarge);
      return;
    }
    const data = new FormData();
    const token = form.querySelector("input[name=csrf_token]");
    if (token) {
      data.append("csrf_token", token.value);
    }
    for (const item of items) {
      data.append("files", item.file, item.path);
    }
    const xhr = new XMLHttpRequest();
    xhr.open("POST", form.getAttribute("action") || window.location.href);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.addEventListener("progress", function (progressEvent) {
      if (progressEvent.lengthComputable) {
        setProgress(progressEvent.loaded / progressEvent.total);
      }
    });
    xhr.addEventListener("load", function () { answer(xhr); });
    xhr.addEventListener("error", function () {
      failed("The connection broke during the upload. Try again.");
    });
    submit.disabled = true;
    showError("");
    setProgress(0);
    xhr.send(data);
  });
  zone.dataset.ready = "true";  // the handlers are in place: drops and choices are listed from here on
}());
