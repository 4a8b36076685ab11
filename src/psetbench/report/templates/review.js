// The review page of psetbench view: one card at a time, keys and buttons save labels.
// Served from the app (script-src 'self'); saves go to the same form's action with fetch.
(function () {
  "use strict";
  var cards = Array.prototype.slice.call(document.querySelectorAll("article.card"));
  if (!cards.length) { return; }
  document.documentElement.classList.add("js");
  var current = -1;
  var position = document.getElementById("position");
  var progress = document.getElementById("progress");
  var first = Number(progress ? progress.getAttribute("data-start") : 0) || 0;
  var total = progress ? progress.getAttribute("data-total") : cards.length;

  function page(rel) {
    var link = document.querySelector("nav.pages a[rel=" + rel + "]");
    if (link) { location.href = link.href; }
  }

  function show(i, scroll) {
    if (i < 0) { page("prev"); return; }
    if (i >= cards.length) { page("next"); return; }
    if (current >= 0) {
      // a box of the card being left keeps the keys until the browser notices it is hidden
      if (cards[current].contains(document.activeElement)) { document.activeElement.blur(); }
      cards[current].classList.remove("current");
    }
    current = i;
    cards[i].classList.add("current");
    history.replaceState(null, "", "#" + cards[i].id);
    if (position) {
      position.textContent = "Card " + (first + i + 1) + " of " + total + ".";
    }
    if (scroll !== false) { cards[i].scrollIntoView({block: "start"}); }
  }

  function describe(label) {
    var text = "Labelled " + label.verdict;
    if (label.score !== null && label.score !== undefined) { text += " " + label.score; }
    text += " by " + label.by;
    if (label.at) { text += " at " + label.at; }
    if (label.note) { text += ": " + label.note; }
    return text;
  }

  function save(form, verdict) {
    var card = form.closest("article.card");
    var status = card.querySelector(".status");
    var error = form.querySelector(".error");
    var body = new URLSearchParams(new FormData(form));
    body.set("verdict", verdict);
    error.hidden = true;
    status.textContent = "Saving " + verdict + "…";
    fetch(form.action, {method: "POST", body: body, credentials: "same-origin",
                        headers: {"Accept": "application/json"}})
      .then(function (response) {
        return response.json().then(function (data) { return {ok: response.ok, data: data}; });
      })
      .then(function (result) {
        if (!result.ok) { throw new Error(result.data.error || "not saved"); }
        status.textContent = describe(result.data.label);
        card.classList.add("labelled");
        card.setAttribute("data-label", result.data.label.verdict);
        if (cards[current] === card && current + 1 < cards.length) { show(current + 1); }
      })
      .catch(function (err) {
        status.textContent = "Not saved.";
        error.textContent = "Not saved: " + err.message;
        error.hidden = false;
      });
  }

  cards.forEach(function (card, i) {
    var form = card.querySelector("form.label");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = event.submitter;
      save(form, button && button.value ? button.value : "partial");
    });
    card.querySelector("nav.step a.prev").addEventListener("click", function (event) {
      event.preventDefault(); show(i - 1);
    });
    card.querySelector("nav.step a.next").addEventListener("click", function (event) {
      event.preventDefault(); show(i + 1);
    });
  });

  function submit(verdict) {
    var form = cards[current].querySelector("form.label");
    form.requestSubmit(form.querySelector("button[value=" + verdict + "]"));
  }

  var keys = {c: "correct", i: "incorrect", m: "missing"};
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var target = event.target;
    var typing = target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" ||
                            target.tagName === "SELECT" || target.isContentEditable);
    if (typing) {
      if (event.key === "Escape") { target.blur(); }
      return;
    }
    var form = cards[current].querySelector("form.label");
    if (keys[event.key]) {
      submit(keys[event.key]);
    } else if (event.key === "p") {
      if (form.elements.score.value.trim() === "") {
        form.elements.score.focus();
        form.querySelector(".error").textContent = "Type the partial score (0 to 1), then Enter.";
        form.querySelector(".error").hidden = false;
      } else {
        submit("partial");
      }
    } else if (event.key === "n") {
      form.elements.note.focus();
    } else if (event.key === "j" || event.key === "ArrowRight") {
      show(current + 1);
    } else if (event.key === "k" || event.key === "ArrowLeft") {
      show(current - 1);
    } else {
      return;
    }
    event.preventDefault();
  });

  var wanted = decodeURIComponent(location.hash.slice(1));
  var start = cards.findIndex(function (card) { return card.id === wanted; });
  show(start >= 0 ? start : 0, start >= 0);
})();
