// The pickers beside content buttons' id fields: open the dialog with the server's panel, fill
// the field with the chosen id, and say under the phone what the selected button sends.
// Glue only: lists, names and texts all come from the server (menus/picker_*.html).
(function () {
  "use strict";

  var dialog = document.getElementById("picker-dialog");
  var body = document.getElementById("picker-body");
  var note = document.getElementById("content-sends");
  if (!dialog || !body || typeof htmx === "undefined") return;

  var opener = null;

  function say(text) {
    var p = document.createElement("p");
    p.className = "muted";
    p.textContent = text;
    body.replaceChildren(p);
  }

  function open(button) {
    opener = button;
    say(dialog.dataset.loading || "");
    if (!dialog.open) dialog.showModal();
    htmx.ajax("GET", button.dataset.pickerUrl, { target: body, swap: "innerHTML" }).catch(function () {
      say(dialog.dataset.failed || "");
    });
  }

  function choose(button) {
    var field = document.getElementById(button.dataset.pickField);
    if (!field) return;
    field.value = button.dataset.pick;
    // The editor's form previews and the chosen line redraws on input, as for typing.
    field.dispatchEvent(new Event("input", { bubbles: true }));
    dialog.close();
    field.focus();
  }

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (!target) return;
    var openButton = target.closest(".picker-open");
    if (openButton) {
      event.preventDefault();
      open(openButton);
      return;
    }
    var pick = target.closest("[data-pick]");
    if (pick && dialog.contains(pick)) {
      event.preventDefault();
      choose(pick);
    }
  });

  dialog.addEventListener("close", function () {
    body.replaceChildren();
    // A refresh in the dialog may have named ids typed before: the chosen lines ask again.
    document.body.dispatchEvent(new Event("picker-closed"));
    if (opener && document.body.contains(opener)) opener.focus();
    opener = null;
  });

  dialog.addEventListener("htmx:responseError", function () {
    say(dialog.dataset.failed || "");
  });

  // In the phone, above the menu bar: what the selected button sends, from its chosen line
  // (data-sends). Outside the parts the server's answers replace.
  var chat = document.querySelector("#phone .phone-chat");
  var phone = document.getElementById("phone");
  if (chat && note) chat.insertAdjacentElement("afterend", note);
  else if (phone && note) phone.insertAdjacentElement("afterend", note);

  function showSends() {
    if (!note) return;
    var selected = document.getElementById("f-selected");
    var path = selected ? selected.value : "";
    var card = path ? document.getElementById("card-" + path) : null;
    var chosen = card ? card.querySelector(".picker-chosen .chosen[data-sends]") : null;
    // A sub-button's card holds no other card's fields; a top-level leaf's card has no sub-list.
    if (chosen && chosen.closest(".btn-card") !== card) chosen = null;
    note.textContent = chosen ? chosen.dataset.sends : "";
    note.hidden = !chosen || !chosen.dataset.sends;
  }

  function soon() {
    window.setTimeout(showSends, 0);
  }

  document.addEventListener("click", soon);
  document.addEventListener("focusin", soon);
  document.body.addEventListener("htmx:afterSettle", soon);
  showSends();
})();
