/* The editor's glue. The server parses, validates and draws everything; this file only
   - asks before leaving with unsaved changes,
   - keeps the phone preview and the form pointing at the same button,
   - swaps the phone's menu bar and text box,
   - turns drag and drop into the same "move" edit the arrow buttons post. */
(function () {
  "use strict";

  const form = document.getElementById("editor-form");
  if (!form) return;
  const phone = document.getElementById("phone");

  // The phone column sticks just under the action bar, whose height changes as it wraps.
  const head = form.querySelector(".editor-head");
  if (head && window.ResizeObserver) {
    new ResizeObserver(function () {
      form.style.setProperty("--head-h", Math.ceil(head.getBoundingClientRect().height) + 12 + "px");
    }).observe(head);
  }

  // -- unsaved changes ---------------------------------------------------------------------------
  let dirty = false;
  let typedSinceRequest = false;

  function readDirty() {
    const status = document.getElementById("save-status");
    if (!typedSinceRequest) dirty = !!status && status.dataset.dirty === "true";
    // The confirm button publishes the saved draft; with unsaved edits on screen it waits.
    // One htmx disabled for its running request stays so until that answer (another answer, such as a
    // panel's own load, must not enable it mid-publish).
    document.querySelectorAll("#publish-panel #publish-confirm:not([data-disabled-by-htmx])").forEach(function (b) {
      b.disabled = dirty;
    });
  }

  // Which buttons were typed in since the last answer: the server sends back only their usage
  // counts and problems, which keeps each keystroke's answer small.
  // button -> the number of its last input; an answer clears only what it was asked about.
  const touched = new Map();
  let inputCount = 0;
  const askedAbout = new WeakMap();
  const discarded = new WeakSet();
  const touchedInput = document.getElementById("f-touched");

  // What the page calls the button an input belongs to (its card's data-path), or its data-touch.
  function buttonOf(input) {
    const card = input.closest("#tree .btn-card");
    return card ? card.dataset.path : input.dataset.touch || null;
  }

  form.addEventListener("input", function (event) {
    if (event.target.closest("#import-panel")) return;
    dirty = true;
    typedSinceRequest = true;
    const button = buttonOf(event.target);
    if (button) touched.set(button, ++inputCount);
    if (touchedInput) touchedInput.value = Array.from(touched.keys()).join(",");
  });
  // While an input method composes (pinyin before it becomes 汉字), the field holds letters the
  // follower will never see: wait for the committed characters before asking for a preview.
  let composing = false;
  form.addEventListener("compositionstart", function () {
    composing = true;
  });
  form.addEventListener("compositionend", function (event) {
    composing = false;
    event.target.dispatchEvent(new Event("input", { bubbles: true }));
  });
  document.body.addEventListener("htmx:beforeRequest", function (event) {
    if (composing && event.detail.elt === form) {
      event.preventDefault();
      return;
    }
    typedSinceRequest = false;
    if (event.detail.elt === form) askedAbout.set(event.detail.xhr, new Map(touched));
  });
  document.body.addEventListener("htmx:afterOnLoad", function (event) {
    const asked = askedAbout.get(event.detail.xhr);
    if (asked && event.detail.successful && !discarded.has(event.detail.xhr)) {
      asked.forEach(function (count, button) {
        if (touched.get(button) === count) touched.delete(button); // not typed in again since
      });
      if (touchedInput) touchedInput.value = Array.from(touched.keys()).join(",");
    }
    readDirty();
  });
  document.body.addEventListener("htmx:beforeOnLoad", function (event) {
    const xhr = event.detail.xhr;
    if (xhr && xhr.getResponseHeader("HX-Redirect")) dirty = false; // "keep mine as a new draft"
  });
  form.addEventListener("submit", function () {
    dirty = false; // a plain (no htmx) save or import leaves the page on purpose
  });
  window.addEventListener("beforeunload", function (event) {
    if (!dirty) return;
    event.preventDefault();
    event.returnValue = "";
  });
  readDirty();

  // Enter in a text field would press the form's first button; typing a name should never do that.
  form.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || event.isComposing) return;
    if (event.target.matches("input[type=text], input:not([type])")) event.preventDefault();
  });

  // A keystroke's answer that was asked before a structural edit (add, move, import...) was sent
  // or answered describes the old tree: drop it rather than let it overwrite the newer preview.
  let treeEpoch = 0;
  const askedAt = new WeakMap();
  function redrawsTree(detail) {
    const path = (detail.requestConfig && detail.requestConfig.path) || "";
    return /\/(structure|import)\/$/.test(path);
  }
  document.body.addEventListener("htmx:beforeRequest", function (event) {
    if (event.defaultPrevented) return;
    if (redrawsTree(event.detail)) treeEpoch++;
    else if (event.detail.elt === form) askedAt.set(event.detail.xhr, treeEpoch);
  });
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    if (redrawsTree(event.detail)) {
      treeEpoch++;
      return;
    }
    if (event.detail.elt === form && askedAt.get(event.detail.xhr) !== treeEpoch) {
      event.detail.shouldSwap = false;
      discarded.add(event.detail.xhr);
    }
  });

  // -- selection shared by the preview and the form -------------------------------------------------
  // Both name a button by its dotted path (data-path); the form's card knows its name field's id.
  function cardAt(path) {
    return document.querySelector('#tree .btn-card[data-path="' + path + '"]');
  }

  function setHidden(id, value) {
    const input = document.getElementById(id);
    if (input) input.value = value;
  }

  function openSlot(top) {
    document.querySelectorAll("#phone-menu .pm-slot").forEach(function (slot) {
      const isOpen = top !== null && slot.dataset.slot === String(top) && !!slot.querySelector(".pm-sub");
      slot.classList.toggle("is-open", isOpen);
      const item = slot.querySelector(".pm-item.has-sub");
      if (item) item.setAttribute("aria-expanded", isOpen ? "true" : "false");
    });
    const anyOpen = document.querySelector("#phone-menu .pm-slot.is-open");
    setHidden("f-open", anyOpen ? anyOpen.dataset.slot : "");
  }

  // The selected button shows its fields in the outline; the others are one-line summaries (CSS).
  // The selection survives a reload in the address's fragment (#sel-0.2).
  // how: undefined (a person picked it), "sync" (an answer or a reload drew it: the phone's open
  // sub-menu is the server's) or "default" (the same, and not put in the address either).
  function select(path, how) {
    const top = path.split(".")[0];
    setHidden("f-selected", path);
    document.querySelectorAll("#phone .is-selected, #tree .btn-card.is-selected").forEach(function (el) {
      el.classList.remove("is-selected");
    });
    document.querySelectorAll('#phone [data-path="' + path + '"]').forEach(function (el) {
      el.classList.add("is-selected");
    });
    document.querySelectorAll("#tree .card-select").forEach(function (b) {
      b.setAttribute("aria-expanded", b.dataset.select === path ? "true" : "false");
    });
    const card = cardAt(path);
    if (card) card.classList.add("is-selected");
    const slot = document.querySelector('#phone-menu .pm-slot[data-slot="' + top + '"]');
    if (!how) openSlot(slot && slot.querySelector(".pm-sub") ? top : null);
    if (card && how !== "default" && location.hash !== "#sel-" + path) history.replaceState(history.state, "", "#sel-" + path);
  }

  // After the page loads or the outline is drawn again: the server's selection, the one in the
  // address (a reload), or the first button, so that one button is always open for editing.
  function syncSelection(preferHash) {
    const fromHash = /^#sel-([\d.]+)$/.exec(location.hash);
    const shown = document.querySelector("#tree .btn-card.is-selected");
    const selectedInput = document.getElementById("f-selected");
    let path = shown ? shown.dataset.path : selectedInput && selectedInput.value;
    if (preferHash && fromHash && cardAt(fromHash[1])) path = fromHash[1];
    let how = "sync";
    if (!path || !cardAt(path)) {
      const first = document.querySelector("#tree .btn-card");
      path = first ? first.dataset.path : "";
      how = "default";
    }
    if (path) select(path, how);
  }
  syncSelection(true);

  // The name field of a button, shown and focused (its card opened first).
  function editButton(path) {
    const card = cardAt(path);
    if (!card) return;
    select(path);
    const field = document.getElementById(card.dataset.nameField);
    if (field) field.focus();
  }

  form.addEventListener("focusin", function (event) {
    const card = event.target.closest(".btn-card");
    // Only a field selects by focus: pressing a button whose row would move as another card
    // collapses would miss it, and tabbing past a summary should not open it.
    if (card && card.dataset.path && event.target.matches("input, select, textarea")) select(card.dataset.path);
  });

  form.addEventListener("click", function (event) {
    const summary = event.target.closest("#tree .card-select");
    if (summary) editButton(summary.dataset.select);
  });

  // A summary shows the name as it is typed.
  form.addEventListener("input", function (event) {
    const card = event.target.closest("#tree .btn-card");
    if (!card || event.target.id !== card.dataset.nameField) return;
    const name = card.querySelector(":scope > .card-head .card-name");
    if (name) name.textContent = event.target.value.trim() || words.noName || "";
  });

  // The skip link goes to the selected button's name field.
  document.addEventListener("click", function (event) {
    const skip = event.target.closest("[data-action=skip-to-selected]");
    if (!skip) return;
    const selectedInput = document.getElementById("f-selected");
    if (selectedInput && cardAt(selectedInput.value)) {
      event.preventDefault();
      editButton(selectedInput.value);
    }
  });

  // The "+" slots in the phone post the same edit as the outline's add buttons.
  function structureOp(op) {
    const mover = document.getElementById("dnd-move");
    if (mover && window.htmx) {
      mover.value = op;
      window.htmx.trigger(mover, "dnd-move");
    }
  }

  if (phone) {
    phone.addEventListener("click", function (event) {
      const action = event.target.closest("[data-action]");
      if (action && action.dataset.action === "keyboard") {
        phone.classList.add("kbd-mode");
        phone.querySelector(".pm-menu-toggle").focus();
        return;
      }
      if (action && action.dataset.action === "menu") {
        phone.classList.remove("kbd-mode");
        phone.querySelector(".pm-kbd").focus();
        return;
      }
      const add = event.target.closest("[data-op]");
      if (add) {
        structureOp(add.dataset.op);
        return;
      }
      const item = event.target.closest("[data-path]");
      if (!item) return;
      const slot = item.closest(".pm-slot");
      if (item.classList.contains("has-sub") && slot.classList.contains("is-open")) {
        openSlot(null); // a second tap closes the sub-menu, as on the phone
        return;
      }
      editButton(item.dataset.path);
    });
  }

  // The problem list links to fields; follow the link to the field and put the cursor there.
  document.addEventListener("click", function (event) {
    const link = event.target.closest("a[data-focus]");
    if (link) {
      const target = document.getElementById(link.dataset.focus);
      if (target) {
        event.preventDefault();
        target.scrollIntoView({ block: "center" });
        target.focus();
      }
      return;
    }
    const close = event.target.closest("[data-action=close-publish]");
    if (close) {
      const panel = document.getElementById("publish-panel");
      if (panel) panel.innerHTML = "";
      const start = document.getElementById("publish-button");
      if (start) start.focus();
    }
  });

  // Messages about the last action float at the bottom of the screen for a few seconds.
  let messageTimer = null;
  // The message box is replaced whole by each answer; watching the form's own children sees that.
  new MutationObserver(function () {
    const box = document.getElementById("editor-message");
    if (!box || !box.textContent.trim()) return;
    clearTimeout(messageTimer);
    // A message with an Undo in it stays long enough to be read and pressed.
    const wait = box.querySelector("[data-action=undo]") ? 15000 : 6000;
    messageTimer = setTimeout(function () {
      const shown = document.getElementById("editor-message");
      if (shown) shown.innerHTML = "";
    }, wait);
  }).observe(form, { childList: true });

  // -- the summaries' problem counts follow the typing ---------------------------------------------
  // A keystroke's answer redraws the problem list, not the outline: each summary's count is read from
  // that list (each problem links to the field it is about), so that it costs the answer nothing.
  function refreshSummaries() {
    const counts = new Map();
    document.querySelectorAll("#problems li.problem a[data-focus]").forEach(function (link) {
      const target = document.getElementById(link.dataset.focus);
      const card = target && target.closest("#tree .btn-card");
      if (!card) return;
      const count = counts.get(card) || { error: 0, warning: 0 };
      count[link.parentElement.classList.contains("error") ? "error" : "warning"]++;
      counts.set(card, count);
    });
    document.querySelectorAll("#tree .btn-card").forEach(function (card) {
      const summary = card.querySelector(":scope > .card-head .card-select");
      if (!summary) return;
      const count = counts.get(card) || { error: 0, warning: 0 };
      const kind = count.error ? "error" : count.warning ? "warning" : "";
      const n = count.error || count.warning;
      let status = summary.querySelector(".card-status");
      if (status && status.classList.contains(kind) && Number(status.dataset.count) === n) return;
      if (!kind) {
        if (status) status.remove();
        return;
      }
      if (!status) {
        status = document.createElement("span");
        summary.append(status);
      }
      status.className = "card-status " + kind;
      status.dataset.count = String(n);
      status.textContent = ((kind === "error" ? words.problemCount : words.warningCount) || "{n}").replace("{n}", n);
    });
  }
  document.body.addEventListener("htmx:afterSettle", function (event) {
    if (event.detail.elt && event.detail.elt.id === "problems") refreshSummaries();
  });

  // -- the focus stays where the person was ----------------------------------------------------------
  // A button htmx disables during its request (Save) loses the keyboard focus to the page; once the
  // answer is in and the button enabled again, it gets it back (redrawn parts take their autofocus).
  const focusBefore = new WeakMap();
  document.body.addEventListener("htmx:beforeRequest", function (event) {
    // Only the pressed button's own request gives it back (a keystroke's preview answered meanwhile must
    // not pull the focus back into the field that was typed in).
    const active = document.activeElement;
    if (event.detail.xhr && active && active === event.detail.elt) focusBefore.set(event.detail.xhr, active);
  });
  document.body.addEventListener("htmx:afterOnLoad", function (event) {
    const was = event.detail.xhr && focusBefore.get(event.detail.xhr);
    const active = document.activeElement;
    if (was && was !== document.body && document.body.contains(was) && (!active || active === document.body)) {
      was.focus();
    }
  });

  // -- undo and redo -------------------------------------------------------------------------------------
  // The history is the posted form's own states (its menu fields, title and selection), never a model
  // of the menu: an undo puts a state back in the fields when it has the same fields, and otherwise
  // posts it to be drawn again by the server (the undo form), as a structural edit is.
  const undoForm = document.getElementById("undo-form");
  const undoButton = document.getElementById("undo-button");
  const redoButton = document.getElementById("redo-button");
  const MAX_STATES = 200;
  const TYPING_PAUSE = 600; // ms: typing in one field until it pauses is one step
  const states = [];
  let current = -1;
  let typingTimer = null;
  let restoring = false; // putting a state back: its own inputs and answer are not new steps
  let knownTree = document.getElementById("tree");

  function kept(name) {
    return name === "title" || name === "selected" || name === "open" || /^b-/.test(name);
  }
  function capture() {
    const pairs = [];
    new FormData(form).forEach(function (value, name) {
      if (kept(name) && typeof value === "string") pairs.push([name, value]);
    });
    return pairs;
  }
  // What a state holds apart from the selection: moving around is not a step.
  function contentOf(pairs) {
    return JSON.stringify(
      pairs.filter(function (p) {
        return p[0] !== "selected" && p[0] !== "open";
      })
    );
  }
  function fieldsOf(pairs) {
    return pairs
      .map(function (p) {
        return p[0];
      })
      .filter(function (n) {
        return n !== "selected" && n !== "open";
      })
      .join(",");
  }

  function updateUndoButtons() {
    if (undoButton) undoButton.disabled = current <= 0;
    if (redoButton) redoButton.disabled = current >= states.length - 1;
  }

  function record() {
    clearTimeout(typingTimer);
    typingTimer = null;
    const pairs = capture();
    const last = states[current];
    if (last && contentOf(last) === contentOf(pairs)) {
      states[current] = pairs; // the same menu: only where one was in it changed
      return;
    }
    states.splice(current + 1);
    states.push(pairs);
    if (states.length > MAX_STATES) states.shift();
    current = states.length - 1;
    updateUndoButtons();
  }
  function flushTyping() {
    if (typingTimer) record();
  }

  form.addEventListener("input", function (event) {
    if (restoring || event.target.closest("#import-panel")) return;
    clearTimeout(typingTimer);
    typingTimer = setTimeout(record, TYPING_PAUSE);
  });
  form.addEventListener("focusout", flushTyping);

  // A structural edit, an import or a discard: the state before it is kept, and the answer is a step.
  document.body.addEventListener("htmx:beforeRequest", function (event) {
    if (!event.defaultPrevented && redrawsTree(event.detail) && event.detail.elt !== undoForm) flushTyping();
  });
  // After the settle: until then htmx keeps the old attributes (the old selection) on the new outline.
  document.body.addEventListener("htmx:afterSettle", function (event) {
    const tree = document.getElementById("tree");
    if (tree === knownTree) return;
    knownTree = tree;
    syncSelection(false);
    const config = event.detail.requestConfig;
    if (config && config.elt === undoForm) {
      restoring = false;
      // The focus goes back where it was (the same field, or the undo button pressed).
      let again = document.getElementById(undoForm.dataset.focus || "");
      if (again && again.disabled) again = undoButton && !undoButton.disabled ? undoButton : redoButton;
      if (again) again.focus();
      return;
    }
    record();
  });
  document.body.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.elt === undoForm && !event.detail.successful) restoring = false;
  });

  function putBack(pairs) {
    const active = document.activeElement;
    const selected = (pairs.find(function (p) {
      return p[0] === "selected";
    }) || [])[1];
    const sameFields = fieldsOf(pairs) === fieldsOf(capture());
    if (sameFields) {
      // Only values changed (typing): put them in the fields and let the preview follow.
      restoring = true;
      const changed = [];
      pairs.forEach(function (p) {
        const input = form.elements.namedItem(p[0]);
        if (input && input.value !== p[1] && p[0] !== "selected" && p[0] !== "open") {
          input.value = p[1];
          changed.push(input);
        }
      });
      changed.forEach(function (input) {
        input.dispatchEvent(new Event("input", { bubbles: true }));
      });
      restoring = false;
      const first = changed[0];
      const card = first && first.closest("#tree .btn-card");
      if (card) select(card.dataset.path);
      else if (selected && cardAt(selected)) select(selected, "sync");
      if (first && first.type !== "hidden" && (!active || active === document.body || form.contains(active))) {
        first.focus();
      }
      return;
    }
    if (!undoForm || !window.htmx) return;
    // Other fields: the server draws the kept state, with this page's revision and other hidden inputs.
    restoring = true;
    const title = pairs.find(function (p) {
      return p[0] === "title";
    });
    const titleInput = document.getElementById("f-title");
    if (title && titleInput) titleInput.value = title[1];
    undoForm.replaceChildren();
    const add = function (name, value) {
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      input.value = value;
      undoForm.append(input);
    };
    new FormData(form).forEach(function (value, name) {
      if (!kept(name) && name !== "op" && typeof value === "string") add(name, value);
    });
    pairs.forEach(function (p) {
      add(p[0], p[1]);
    });
    add("op", "redraw");
    undoForm.dataset.focus = active && active.id && form.contains(active) ? active.id : "";
    window.htmx.trigger(undoForm, "restore");
  }

  function step(by) {
    flushTyping();
    const to = current + by;
    if (to < 0 || to >= states.length) {
      tell(by < 0 ? words.nothingToUndo : words.nothingToRedo);
      return;
    }
    current = to;
    updateUndoButtons();
    putBack(states[current]);
    tell(by < 0 ? words.undone : words.redone);
  }

  // A short note in the message box at the bottom (replaced whole, as an answer replaces it).
  function tell(text) {
    const box = document.getElementById("editor-message");
    if (!box || !text) return;
    const fresh = box.cloneNode(false);
    const p = document.createElement("p");
    p.className = "message info";
    p.textContent = text;
    fresh.append(p);
    box.replaceWith(fresh);
  }

  document.addEventListener("click", function (event) {
    const action = event.target.closest("[data-action=undo], [data-action=redo]");
    if (!action) return;
    event.preventDefault();
    step(action.dataset.action === "undo" ? -1 : 1);
  });
  // Ctrl/⌘+Z undoes, Ctrl/⌘+Shift+Z and Ctrl+Y redo, in any field of the editor too (our history
  // covers typing), except the import box, whose text is not part of the menu.
  document.addEventListener("keydown", function (event) {
    if (!(event.ctrlKey || event.metaKey) || event.altKey || event.isComposing) return;
    const key = event.key.toLowerCase();
    if (key !== "z" && key !== "y") return;
    const target = event.target;
    if (target.closest && (target.closest("#import-panel") || target.closest("dialog"))) return;
    if (target !== document.body && target.closest && !target.closest("#editor-form")) return;
    event.preventDefault();
    step(key === "y" || event.shiftKey ? 1 : -1);
  });

  record();
  updateUndoButtons();

  // -- a request that fails is said, never silent ----------------------------------------------------
  // htmx swaps nothing when the answer is an error or never comes, so the form keeps what was typed
  // and htmx re-enables the buttons it disabled; this says what did not happen, in place and to screen
  // readers (role=alert regions that no answer replaces). The words come translated from the page.
  const words = (document.getElementById("request-feedback") || { dataset: {} }).dataset;
  const requestProblem = document.getElementById("request-problem");
  const publishProblem = document.getElementById("publish-problem");
  const publishRunning = document.getElementById("publish-running");

  function kindOf(path) {
    const match = /\/(preview|structure|import|save|publish\/review|publish)\/$/.exec((path || "").split(/[?#]/)[0]);
    if (!match) return "other";
    return match[1] === "publish/review" ? "review" : match[1];
  }
  function requestKind(detail) {
    return kindOf((detail.requestConfig && detail.requestConfig.path) || (detail.pathInfo && detail.pathInfo.requestPath));
  }
  function isPublish(kind) {
    return kind === "publish" || kind === "review";
  }
  // One line per group, so that a failed save stays said while a structural edit or a preview fails too.
  const groups = { save: "save", structure: "structure", import: "structure", other: "structure", preview: "preview" };
  const leads = {
    save: words.leadSave,
    structure: words.leadStructure,
    import: words.leadImport,
    other: words.leadStructure,
    preview: words.leadPreview,
  };
  const causes = { offline: words.causeOffline, timeout: words.causeTimeout, "signed-out": words.causeSignedOut };

  // Previews cost milliseconds and should fail fast; a publish may take ~60 s (htmx-config has the rest).
  document.body.addEventListener("htmx:configRequest", function (event) {
    const kind = kindOf(event.detail.path);
    const ms = Number(kind === "preview" ? words.timeoutPreview : isPublish(kind) ? words.timeoutPublish : 0);
    if (ms > 0) event.detail.timeout = ms;
  });

  const pending = {}; // group -> the line about to be shown
  function say(region, group, lead, rest, link) {
    const line = document.createElement("div");
    line.className = "problem-line";
    line.dataset.group = group;
    const text = document.createElement("p");
    const strong = document.createElement("strong");
    strong.textContent = lead || "";
    text.append(strong);
    rest.forEach(function (part) {
      if (part) text.append(" ", part);
    });
    if (link) text.append(" ", link);
    const dismiss = document.createElement("button");
    dismiss.type = "button";
    dismiss.className = "dismiss";
    dismiss.dataset.action = "dismiss-problem";
    dismiss.textContent = words.dismiss || "×";
    line.append(text, dismiss);
    const old = region.querySelector('[data-group="' + group + '"]');
    // Each keystroke's preview failing the same way again is not said again.
    if (old && group === "preview" && old.textContent === line.textContent) return;
    if (old) old.remove();
    // Put in a moment after the old line left, so that the same words are announced again.
    pending[group] = line;
    setTimeout(function () {
      if (pending[group] !== line) return;
      pending[group] = null;
      region.append(line);
    }, 30);
  }

  // Take a group's line away (and one about to be shown), or every line of the region.
  function clear(region, group) {
    if (!region) return;
    const which = group ? [group] : region === publishProblem ? ["publish"] : ["save", "structure", "preview"];
    which.forEach(function (g) {
      pending[g] = null;
      region.querySelectorAll('[data-group="' + g + '"]').forEach(function (line) {
        line.remove();
      });
    });
  }

  function failed(detail, cause) {
    const kind = requestKind(detail);
    const xhr = detail.xhr;
    let why = cause === "error" ? (words.causeError || "").replace("{status}", xhr ? xhr.status : "") : causes[cause];
    if (kind === "publish" && cause !== "signed-out") {
      // The request may have reached the server, and the platform, before its answer was lost.
      if (cause === "offline") why = words.causeLost;
      let link = document.createTextNode(words.checkHistory || "");
      if (words.historyUrl) {
        link = document.createElement("a");
        link.href = words.historyUrl;
        link.textContent = words.checkHistory;
      }
      say(publishProblem, "publish", words.leadPublish, [why], link);
    } else if (isPublish(kind)) {
      // A review never publishes, and a signed-out request stops before the view runs.
      say(publishProblem, "publish", words.leadReview, [why, words.kept]);
    } else {
      // A save that timed out may have been kept: the server may only have answered too late.
      const lead = kind === "save" && cause === "timeout" ? words.leadSaveTimeout : leads[kind];
      say(requestProblem, groups[kind], lead, [why, words.kept]);
    }
    // A button disabled during its request lost the keyboard focus; give it back for the retry (once
    // htmx has enabled it again: after an error answer that comes after this event).
    const elt = detail.elt;
    setTimeout(function () {
      const active = document.activeElement;
      if (elt && elt.matches && elt.matches("button") && document.body.contains(elt) && (!active || active === document.body)) {
        elt.focus();
      }
    }, 0);
  }

  document.body.addEventListener("htmx:responseError", function (event) {
    failed(event.detail, "error");
  });
  document.body.addEventListener("htmx:sendError", function (event) {
    failed(event.detail, "offline");
  });
  document.body.addEventListener("htmx:timeout", function (event) {
    failed(event.detail, "timeout");
  });
  // A signed-out session answers an htmx request with the sign-in page (a followed redirect), which
  // swaps nothing: as silent as an error unless said.
  const redirected = new WeakSet();
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    const xhr = event.detail.xhr;
    if (!xhr || !xhr.responseURL || !words.loginPath || xhr.getResponseHeader("HX-Redirect")) return;
    if (new URL(xhr.responseURL).pathname !== words.loginPath) return;
    event.detail.shouldSwap = false;
    redirected.add(xhr);
    discarded.add(xhr);
    failed(event.detail, "signed-out");
  });

  document.body.addEventListener("htmx:afterOnLoad", function (event) {
    if (!event.detail.successful || redirected.has(event.detail.xhr)) return;
    const kind = requestKind(event.detail);
    if (isPublish(kind)) {
      clear(publishProblem);
    } else if (kind === "save") {
      clear(requestProblem); // what is on screen is kept now
    } else {
      if (kind !== "preview") clear(requestProblem, "structure");
      clear(requestProblem, "preview"); // every answer redraws the preview
    }
  });

  document.addEventListener("click", function (event) {
    const dismiss = event.target.closest("[data-action=dismiss-problem]");
    if (dismiss) dismiss.closest(".problem-line").remove();
    if (event.target.closest("[data-action=close-publish]")) clear(publishProblem);
  });

  // -- a publish that runs says so, and for how long ---------------------------------------------------
  let running = null; // {xhr, timer}

  function stopRunning(xhr) {
    if (!running || running.xhr !== xhr) return;
    clearInterval(running.timer);
    running = null;
    publishRunning.replaceChildren();
  }

  document.body.addEventListener("htmx:beforeRequest", function (event) {
    const kind = requestKind(event.detail);
    const xhr = event.detail.xhr;
    if (event.defaultPrevented || !isPublish(kind) || !publishRunning || !xhr) return;
    clear(publishProblem);
    if (running) stopRunning(running.xhr);
    const line = document.createElement("p");
    const spinner = document.createElement("span");
    spinner.className = "spinner";
    spinner.setAttribute("aria-hidden", "true");
    const elapsed = document.createElement("span");
    elapsed.className = "elapsed";
    // Said once when it starts; the seconds counting up are for the eyes only.
    elapsed.setAttribute("aria-hidden", "true");
    line.append(spinner, kind === "publish" ? words.runningPublish : words.runningReview, " ", elapsed);
    publishRunning.replaceChildren(line);
    const started = Date.now();
    running = {
      xhr: xhr,
      timer: setInterval(function () {
        const seconds = Math.floor((Date.now() - started) / 1000);
        elapsed.textContent = seconds ? (words.seconds || "{seconds} s").replace("{seconds}", seconds) : "";
      }, 1000),
    };
    // loadend follows the answer being put in place, an error, an abort and a timeout alike.
    xhr.addEventListener("loadend", function () {
      stopRunning(xhr);
    });
  });

  // -- drag and drop -------------------------------------------------------------------------------
  let drag = null;

  function clearMarks() {
    document.querySelectorAll(".drop-before, .drop-after, .drop-into").forEach(function (el) {
      el.classList.remove("drop-before", "drop-after", "drop-into");
    });
  }

  function below(event, el) {
    const box = el.getBoundingClientRect();
    return event.clientY > box.top + box.height / 2;
  }

  // Where a drop would put the dragged button, as the structure endpoint names it, plus what to mark.
  // Buttons can be dragged by their handle in the form, or as items in the phone preview.
  function dropTarget(event) {
    if (!drag || !event.target.closest) return null;
    return previewTarget(event) || formTarget(event);
  }

  function previewTarget(event) {
    const item = event.target.closest("#phone-menu .pm-item");
    const subItem = event.target.closest("#phone-menu .pm-sub-item");
    if (drag.level === 1 && item) {
      const box = item.getBoundingClientRect();
      const after = event.clientX > box.left + box.width / 2;
      const index = Number(item.dataset.path);
      return { dest: String(after ? index + 1 : index), mark: item, cls: after ? "drop-after" : "drop-before" };
    }
    if (drag.level === 2 && subItem) {
      const parts = subItem.dataset.path.split(".");
      const after = below(event, subItem);
      return {
        dest: parts[0] + "." + (Number(parts[1]) + (after ? 1 : 0)),
        mark: subItem,
        cls: after ? "drop-after" : "drop-before",
      };
    }
    if (drag.level === 2 && item && item.classList.contains("has-sub")) {
      return { dest: item.dataset.path, mark: item, cls: "drop-into" };
    }
    return null;
  }

  function formTarget(event) {
    if (drag.level === 1) {
      const card = event.target.closest("#tree .btn-card.level-1");
      if (card) {
        const index = Number(card.dataset.path);
        const after = below(event, card);
        return { dest: String(after ? index + 1 : index), mark: card, cls: after ? "drop-after" : "drop-before" };
      }
      return null;
    }
    const sub = event.target.closest("#tree .btn-card.level-2");
    if (sub) {
      const parts = sub.dataset.path.split(".");
      const after = below(event, sub);
      return {
        dest: parts[0] + "." + (Number(parts[1]) + (after ? 1 : 0)),
        mark: sub,
        cls: after ? "drop-after" : "drop-before",
      };
    }
    const parent = event.target.closest("#tree .btn-card.level-1.is-parent");
    if (parent) {
      const list = parent.querySelector(".sub-list");
      return { dest: parent.dataset.path, mark: list || parent, cls: "drop-into" };
    }
    return null;
  }

  form.addEventListener("dragstart", function (event) {
    if (!event.target.closest) return;
    const handle = event.target.closest(".drag-handle");
    const card = handle ? handle.closest(".btn-card") : event.target.closest("#phone-menu [data-path]");
    if (!card) return;
    drag = { path: card.dataset.path, level: card.dataset.path.indexOf(".") < 0 ? 1 : 2, card: card };
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", drag.path);
    if (handle && event.dataTransfer.setDragImage) event.dataTransfer.setDragImage(card, 16, 16);
    card.classList.add("is-dragging");
  });

  // Near the top (under the sticky action bar) or the bottom of the screen, a drag scrolls the page,
  // so that any button of the outline can be reached whatever the screen's height.
  function scrollWhileDragging(event) {
    const headBottom = head && getComputedStyle(head).position === "sticky" ? head.getBoundingClientRect().bottom : 0;
    const edge = 48;
    if (event.clientY < headBottom + edge) window.scrollBy(0, -16);
    else if (event.clientY > window.innerHeight - edge) window.scrollBy(0, 16);
  }

  form.addEventListener("dragover", function (event) {
    if (drag) scrollWhileDragging(event);
    const target = dropTarget(event);
    if (!target) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    clearMarks();
    target.mark.classList.add(target.cls);
  });

  form.addEventListener("drop", function (event) {
    const target = dropTarget(event);
    if (!target) return;
    event.preventDefault();
    const op = "move:" + drag.path + ">" + target.dest;
    clearMarks();
    structureOp(op);
  });

  form.addEventListener("dragend", function () {
    clearMarks();
    if (drag && drag.card) drag.card.classList.remove("is-dragging");
    drag = null;
  });
})();
