// The pipeline board: drag a card to another column to move the deal (SortableJS).
// The server decides: it answers with the new column heads and the card, or with the reason
// it refused, in which case the card goes back where it was.
(function () {
  "use strict";
  var board = document.getElementById("board");
  if (!board || typeof Sortable === "undefined") return;
  var message = document.getElementById("board-message");
  var dialog = document.getElementById("lost-dialog");
  var reasonInput = document.getElementById("lost-reason-input");
  var token = board.querySelector("input[name=csrfmiddlewaretoken]").value;

  function show(text, kind) {
    message = document.getElementById("board-message");
    message.textContent = text;
    message.className = "message " + kind;
    message.setAttribute("role", kind === "error" ? "alert" : "status");
    message.hidden = false;
  }

  function putBack(evt) {
    evt.from.insertBefore(evt.item, evt.from.children[evt.oldIndex] || null);
  }

  // Replace every top-level element of the answer that has an id with its new version.
  function swapById(html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    Array.prototype.slice.call(template.content.children).forEach(function (element) {
      var old = element.id && document.getElementById(element.id);
      if (old) old.replaceWith(element);
    });
  }

  function askReason() {
    return new Promise(function (resolve) {
      reasonInput.value = "";
      dialog.returnValue = "";
      dialog.addEventListener(
        "close",
        function () {
          resolve(dialog.returnValue === "confirm" ? reasonInput.value.trim() : null);
        },
        { once: true }
      );
      dialog.showModal();
      reasonInput.focus();
    });
  }

  async function move(evt) {
    if (evt.from === evt.to) return;
    var card = evt.item;
    var target = evt.to;
    var reason = "";
    if (target.dataset.outcome === "lost") {
      reason = await askReason();
      if (!reason) {
        putBack(evt);
        show(board.dataset.msgNoReason, "error");
        return;
      }
    }
    var body = new URLSearchParams(board.dataset.filterQuery || "");
    body.set("stage", target.dataset.stage);
    body.set("lost_reason", reason);
    card.classList.add("moving");
    var response;
    try {
      response = await fetch(card.dataset.moveUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": token, "HX-Request": "true" },
        body: body,
      });
    } catch (error) {
      response = null;
    }
    card.classList.remove("moving");
    if (response && response.status === 202) {
      // kept for a second person's approval: nothing moved yet
      putBack(evt);
      show(await response.text(), "info");
      return;
    }
    if (!response || !response.ok) {
      putBack(evt);
      var text = board.dataset.msgFailed;
      if (response && response.status === 404) text = board.dataset.msgNotFound;
      if (response && response.status === 400) text = await response.text();
      show(text, "error");
      return;
    }
    swapById(await response.text());
  }

  board.querySelectorAll("ol.board-cards").forEach(function (list) {
    Sortable.create(list, {
      group: "pipeline",
      draggable: ".deal-card",
      filter: ".deal-card-move",
      preventOnFilter: false,
      forceFallback: true,
      fallbackTolerance: 3,
      animation: 120,
      ghostClass: "card-ghost",
      chosenClass: "card-chosen",
      dragClass: "card-dragging",
      onEnd: move,
    });
  });
})();
