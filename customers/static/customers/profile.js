/* A customer's profile, enhanced. Every part works without this script: the confirmation
   sits in the anchored row, the property search is a GET form, collections are
   comma-separated text and dates ISO text. With it: the confirmation is focused (read
   out), the search filters as you type, collections become removable chips, dates get a
   calendar that writes ISO, and a new property's value box follows the chosen type. */
(function () {
  "use strict";

  // The confirmation of the action that brought us here: focus it so it is read out
  // and in view (its row is the URL's anchor, so it is there already without script).
  // An autofocused field (a refused form, an opened editor) keeps the focus instead.
  function focusNote() {
    var field = document.querySelector("[autofocus]");
    if (field) {
      if (document.activeElement !== field) field.focus();
      return;
    }
    var note = document.querySelector("[data-note]");
    if (note) note.focus();
  }

  // "Add a property": filter every listed property as the search is typed.
  function propertySearch() {
    var search = document.getElementById("property-search");
    var list = document.getElementById("all-properties");
    var count = document.getElementById("property-count");
    if (!search || !list) return;
    var items = Array.prototype.slice.call(list.querySelectorAll("li[data-search]"));
    var showAll = document.querySelector("[data-show-all]");
    var limit = parseInt(list.getAttribute("data-limit"), 10) || 25;
    var expanded = list.hasAttribute("data-all-shown");
    function plural(n) {
      return n.toLocaleString("en") + (n === 1 ? " property" : " properties");
    }
    function apply() {
      var q = search.value.trim();
      var needle = q.toLowerCase();
      var matching = 0;
      var shown = 0;
      items.forEach(function (item) {
        var matches = item.getAttribute("data-search").indexOf(needle) !== -1;
        var visible = matches && (expanded || shown < limit);
        if (matches) matching += 1;
        if (visible) shown += 1;
        item.hidden = !visible;
      });
      var text;
      if (q && !matching) text = "No property matches “" + q + "”.";
      else if (q && shown < matching) text = "Showing " + shown + " of " + plural(matching) + " matching “" + q + "”.";
      else if (q) text = plural(matching) + " matching “" + q + "”.";
      else if (shown < matching) text = "Showing " + shown + " of " + plural(matching) + ".";
      else text = plural(matching) + ".";
      count.textContent = text;
      if (showAll) {
        showAll.hidden = shown >= matching;
        showAll.textContent = "Show all " + matching + " properties";
      }
    }
    search.addEventListener("input", apply);
    search.form.addEventListener("submit", function (event) {
      event.preventDefault();
      apply();
    });
    if (showAll) {
      showAll.addEventListener("click", function (event) {
        event.preventDefault();
        expanded = true;
        apply();
        search.focus();
      });
    }
  }

  // A collection's comma-separated text as chips; the original input (now hidden)
  // still carries the value to the server, joined with commas as the service reads it.
  function chipsEditor(input) {
    var items = input.value.split(",").map(function (s) { return s.trim(); }).filter(Boolean);
    var box = document.createElement("div");
    box.className = "chip-editor";
    var list = document.createElement("ul");
    list.className = "chips";
    var entry = document.createElement("input");
    entry.type = "text";
    entry.className = "chip-entry";
    entry.autocomplete = "off";
    entry.placeholder = "Add an item";
    // The field's label, help and error now describe the box one types in.
    entry.id = input.id;
    input.id = input.id + "-items";
    ["aria-describedby", "aria-invalid"].forEach(function (name) {
      if (input.hasAttribute(name)) entry.setAttribute(name, input.getAttribute(name));
    });
    if (input.getAttribute("aria-invalid") === "true") box.setAttribute("data-invalid", "");
    if (input.hasAttribute("autofocus")) {
      input.removeAttribute("autofocus");
      entry.setAttribute("autofocus", "");
    }
    input.type = "hidden";
    input.parentNode.insertBefore(box, input);
    box.appendChild(list);
    box.appendChild(entry);
    box.appendChild(input);

    function sync() {
      input.value = items.join(", ");
      list.textContent = "";
      items.forEach(function (item, index) {
        var chip = document.createElement("li");
        chip.className = "chip";
        var text = document.createElement("span");
        text.className = "truncate";
        text.title = item;
        text.textContent = item;
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "chip-remove btn-link";
        remove.textContent = "×";
        remove.setAttribute("aria-label", "Remove the item " + item);
        remove.addEventListener("click", function () {
          items.splice(index, 1);
          sync();
          entry.focus();
        });
        chip.appendChild(text);
        chip.appendChild(remove);
        list.appendChild(chip);
      });
    }
    function commit() {
      entry.value.split(",").forEach(function (part) {
        var item = part.trim();
        if (item) items.push(item);
      });
      entry.value = "";
      sync();
    }
    entry.addEventListener("keydown", function (event) {
      if ((event.key === "Enter" && entry.value.trim()) || event.key === ",") {
        event.preventDefault();
        commit();
      } else if (event.key === "Backspace" && !entry.value && items.length) {
        items.pop();
        sync();
      }
    });
    entry.addEventListener("paste", function () {
      window.setTimeout(function () { if (entry.value.indexOf(",") !== -1) commit(); }, 0);
    });
    entry.addEventListener("blur", commit);
    input.form.addEventListener("submit", commit);
    box.addEventListener("click", function (event) {
      if (event.target === box || event.target === list) entry.focus();
    });
    sync();
    if (entry.hasAttribute("autofocus")) entry.focus();
  }

  // A calendar for an ISO date box: the browser's picker, whose choice is written back
  // as YYYY-MM-DD (a time already typed after the date is kept).
  function datePicker(input) {
    var proxy = document.createElement("input");
    if (!("showPicker" in proxy)) return;
    proxy.type = "date";
    proxy.className = "date-proxy";
    proxy.tabIndex = -1;
    proxy.setAttribute("aria-hidden", "true");
    proxy.setAttribute("aria-label", "Date");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-small date-pick";
    button.textContent = "Calendar";
    var label = document.querySelector('label[for="' + input.id + '"]');
    button.setAttribute("aria-label", "Pick " + (label ? label.textContent.trim() : "the date") + " from a calendar");
    var wrap = document.createElement("div");
    wrap.className = "date-input";
    input.parentNode.insertBefore(wrap, input);
    wrap.appendChild(input);
    wrap.appendChild(button);
    wrap.appendChild(proxy);
    button.addEventListener("click", function () {
      var day = /^\d{4}-\d{2}-\d{2}/.exec(input.value.trim());
      proxy.value = day ? day[0] : "";
      try {
        proxy.showPicker();
      } catch (error) {
        input.focus();
      }
    });
    proxy.addEventListener("change", function () {
      if (!proxy.value) return;
      var rest = /^\d{4}-\d{2}-\d{2}(.*)$/.exec(input.value.trim());
      input.value = proxy.value + (rest ? rest[1] : "");
      input.focus();
    });
  }

  // A new property's value box takes the input of the chosen type.
  var NEW_VALUE = {
    text: { type: "text", placeholder: "" },
    number: { type: "number", step: "any", placeholder: "" },
    integer: { type: "number", step: "1", placeholder: "" },
    boolean: { type: "text", placeholder: "yes or no" },
    date: { type: "text", placeholder: "YYYY-MM-DD" },
    url: { type: "url", placeholder: "https://" },
    collection: { type: "text", placeholder: "a, b, c" },
    json: { type: "text", placeholder: '{"city": "Berlin"}' }
  };
  function newValueFollowsType() {
    var select = document.getElementById("id_new-type");
    var value = document.getElementById("id_new-value");
    if (!select || !value) return;
    function apply() {
      var kind = NEW_VALUE[select.value] || NEW_VALUE.text;
      value.type = kind.type;
      if (kind.step) value.step = kind.step; else value.removeAttribute("step");
      if (kind.placeholder) value.placeholder = kind.placeholder; else value.removeAttribute("placeholder");
    }
    select.addEventListener("change", apply);
    // A refused value stays as typed: a number box would blank "many".
    if (value.getAttribute("aria-invalid") !== "true") apply();
  }

  function start() {
    propertySearch();
    Array.prototype.forEach.call(document.querySelectorAll("input.chips-editor"), chipsEditor);
    Array.prototype.forEach.call(document.querySelectorAll("input.date-editor"), datePicker);
    newValueFollowsType();
    // After the load: the browser's own move to the URL's anchor clears the focus.
    if (document.readyState === "complete") focusSoon();
    else window.addEventListener("load", focusSoon);
  }
  function focusSoon() {
    window.setTimeout(focusNote, 0);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
