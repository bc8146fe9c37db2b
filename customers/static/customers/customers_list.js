/* The customers list, enhanced. Everything works without this script: the condition
   picker takes the property first and then offers its type's conditions; the bulk form
   shows every field; the column list scrolls. With it: the conditions and the value box
   follow the property as soon as it is picked, the bulk form shows the fields its action
   needs, a box selects the whole page, and the column list filters as you type. */
(function () {
  "use strict";

  function operatorsByType() {
    var data = document.getElementById("operators-by-type");
    return data ? JSON.parse(data.textContent) : {};
  }

  function typeOf(key) {
    var options = document.querySelectorAll("#property-options option");
    for (var i = 0; i < options.length; i++) {
      if (options[i].value === key) return options[i].getAttribute("data-type");
    }
    return null;
  }

  // The value box a type is compared with: numbers, ISO days as text, true/false.
  function valueControl(type, old) {
    var control;
    if (type === "boolean") {
      control = document.createElement("select");
      ["true", "false"].forEach(function (v) {
        var option = document.createElement("option");
        option.value = v; option.textContent = v; control.appendChild(option);
      });
    } else {
      control = document.createElement("input");
      control.type = (type === "integer" || type === "number") ? "number" : "text";
      if (type === "integer") control.step = "1";
      if (type === "number") control.step = "any";
      if (type === "date") {
        control.placeholder = "2026-06-01";
        control.pattern = "\\d{4}-\\d{2}-\\d{2}.*";
        control.inputMode = "numeric";
      }
      if (type === "url") control.placeholder = "https://";
      control.maxLength = 1000;
    }
    control.name = old.name; control.id = old.id;
    return control;
  }

  function conditionPicker() {
    var form = document.getElementById("condition-form");
    if (!form) return;
    var operators = operatorsByType();
    var prop = form.querySelector("[name=prop]");
    var op = form.querySelector("[name=op]");
    var rest = form.querySelector("[data-condition-rest]");
    var choose = form.querySelector("[data-choose]");
    var picked = form.getAttribute("data-picked") || "";
    function follow() {
      var type = typeOf(prop.value.trim());
      if (!type || type === picked) return;
      picked = type;
      while (op.options.length) op.remove(0);
      var blank = document.createElement("option");
      blank.value = ""; blank.textContent = "Choose a condition"; op.appendChild(blank);
      (operators[type] || []).forEach(function (pair) {
        var option = document.createElement("option");
        option.value = pair[0]; option.textContent = pair[1]; op.appendChild(option);
      });
      var value = form.querySelector("[name=value]");
      value.parentNode.replaceChild(valueControl(type, value), value);
      rest.hidden = false;
      if (choose) choose.textContent = "Add condition";
      toggleValue();
    }
    function toggleValue() {
      var flag = op.value === "set" || op.value === "not_set";
      var box = form.querySelector("[data-value-field]");
      if (box) box.hidden = flag;
    }
    prop.addEventListener("input", follow);
    prop.addEventListener("change", follow);
    op.addEventListener("change", toggleValue);
    toggleValue();
  }

  function bulkForm() {
    var action = document.querySelector("[data-bulk-action]");
    if (!action) return;
    var fields = document.querySelectorAll("[data-for-action]");
    function apply() {
      fields.forEach(function (field) {
        field.hidden = field.getAttribute("data-for-action").split(" ").indexOf(action.value) < 0;
      });
    }
    action.addEventListener("change", apply);
    apply();
    var all = document.querySelector("[data-select-page]");
    if (!all) return;
    var boxes = document.querySelectorAll("input[name=customer][form=bulk-form]");
    all.hidden = false;
    all.addEventListener("change", function () {
      boxes.forEach(function (box) { box.checked = all.checked; });
    });
  }

  function columnSearch() {
    var search = document.querySelector("[data-column-search]");
    if (!search) return;
    search.hidden = false;
    var items = document.querySelectorAll(".column-options li[data-search]");
    search.addEventListener("input", function () {
      var q = search.value.trim().toLowerCase();
      items.forEach(function (item) {
        item.hidden = q !== "" && item.getAttribute("data-search").indexOf(q) < 0;
      });
    });
  }

  conditionPicker();
  bulkForm();
  columnSearch();
})();
