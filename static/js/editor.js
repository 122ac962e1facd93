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

  // -- unsaved changes ---------------------------------------------------------------------------
  let dirty = false;
  let typedSinceRequest = false;

  function readDirty() {
    const status = document.getElementById("save-status");
    if (!typedSinceRequest) dirty = !!status && status.dataset.dirty === "true";
    // The confirm button publishes the saved draft; with unsaved edits on screen it waits.
    document.querySelectorAll("#publish-panel button[name=confirm_drift]").forEach(function (b) {
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

  function buttonOf(name) {
    const match = /^(b-\d+(?:-s-\d+)?)-/.exec(name || "");
    return match ? match[1] : name === "title" ? "title" : null;
  }

  form.addEventListener("input", function (event) {
    if (event.target.closest("#import-panel")) return;
    dirty = true;
    typedSinceRequest = true;
    const button = buttonOf(event.target.name);
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
  function prefixOf(path) {
    const parts = path.split(".");
    return parts.length === 1 ? "b-" + parts[0] : "b-" + parts[0] + "-s-" + parts[1];
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

  function select(path) {
    const top = path.split(".")[0];
    setHidden("f-selected", prefixOf(path));
    document.querySelectorAll("#phone .is-selected, #tree .btn-card.is-selected").forEach(function (el) {
      el.classList.remove("is-selected");
    });
    document.querySelectorAll('#phone [data-path="' + path + '"]').forEach(function (el) {
      el.classList.add("is-selected");
    });
    const card = document.getElementById("card-" + path);
    if (card) card.classList.add("is-selected");
    const slot = document.querySelector('#phone-menu .pm-slot[data-slot="' + top + '"]');
    openSlot(slot && slot.querySelector(".pm-sub") ? top : null);
  }

  form.addEventListener("focusin", function (event) {
    const card = event.target.closest(".btn-card");
    if (card && card.dataset.path) select(card.dataset.path);
  });

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
      const item = event.target.closest("[data-path]");
      if (!item) return;
      const slot = item.closest(".pm-slot");
      if (item.classList.contains("has-sub") && slot.classList.contains("is-open")) {
        openSlot(null); // a second tap closes the sub-menu, as on the phone
        return;
      }
      const field = document.getElementById("f-" + prefixOf(item.dataset.path) + "-name");
      select(item.dataset.path);
      if (field) field.focus({ preventScroll: false });
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
    messageTimer = setTimeout(function () {
      const current = document.getElementById("editor-message");
      if (current) current.innerHTML = "";
    }, 6000);
  }).observe(form, { childList: true });

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

  form.addEventListener("dragover", function (event) {
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
    const mover = document.getElementById("dnd-move");
    if (mover && window.htmx) {
      mover.value = op;
      window.htmx.trigger(mover, "dnd-move");
    }
  });

  form.addEventListener("dragend", function () {
    clearMarks();
    if (drag && drag.card) drag.card.classList.remove("is-dragging");
    drag = null;
  });
})();
