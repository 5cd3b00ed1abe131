// Progressive enhancement only: every page works without this file.
"use strict";

(function () {
  // "/" focuses the search box, as on many search sites, unless the reader is typing.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return;
    var box = document.querySelector('form.search input[name="q"]');
    if (!box) return;
    event.preventDefault();
    box.focus();
    box.select();
  });

  function flash(button, label) {
    var original = button.dataset.label || button.textContent;
    button.dataset.label = original;
    button.textContent = label;
    button.classList.add("done");
    window.setTimeout(function () {
      button.textContent = original;
      button.classList.remove("done");
    }, 1600);
  }

  // A long document is paged: /doc/<id>#<key> for a passage on another page asks the
  // server for the page that holds it.
  var anchor = decodeURIComponent(window.location.hash.slice(1));
  if (anchor && document.querySelector("main.document-page") && !document.getElementById(anchor)) {
    var url = new URL(window.location.href);
    url.searchParams.set("at", anchor);
    url.searchParams.delete("page");
    url.hash = "";
    window.location.replace(url.href);
  }

  // Copy without the Clipboard API (plain http on another host): a selected textarea.
  function copyBySelection(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var copied = false;
    try { copied = document.execCommand("copy"); } catch (error) { copied = false; }
    area.remove();
    return copied;
  }

  function copy(button, text, ask) {
    function fallback() {
      if (copyBySelection(text)) flash(button, "已复制");
      else window.prompt(ask, text);
    }
    // navigator.clipboard exists only on https and localhost.
    if (!navigator.clipboard) { fallback(); return; }
    navigator.clipboard.writeText(text).then(function () { flash(button, "已复制"); }, fallback);
  }

  // The buttons are hidden in the HTML: without JavaScript the visible link and the
  // citation in its <details> are what to copy.
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      copy(button, new URL(button.dataset.copy, window.location.href).href, "复制此链接：");
    });
  });
  document.querySelectorAll("button[data-copy-text]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      copy(button, button.dataset.copyText, "复制此引用：");
    });
  });
  document.querySelectorAll("details.cite[data-fallback]").forEach(function (details) {
    details.hidden = true;
  });

  // Suggestions as you type: the ARIA 1.2 combobox pattern over /api/suggest.
  var WAIT_MS = 120;
  document.querySelectorAll("form.search[data-suggest]").forEach(function (form, formNumber) {
    var box = form.querySelector('input[name="q"]');
    var list = document.createElement("ul");
    var options = [];
    var active = -1;
    var asked = 0;
    var timer = null;
    list.id = "suggestions-" + formNumber;
    list.className = "suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "搜索建议");
    list.hidden = true;
    form.appendChild(list);
    box.setAttribute("role", "combobox");
    box.setAttribute("aria-autocomplete", "list");
    box.setAttribute("aria-controls", list.id);
    box.setAttribute("aria-expanded", "false");

    function close() {
      list.hidden = true;
      box.setAttribute("aria-expanded", "false");
      box.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(number) {
      options.forEach(function (option, n) { option.setAttribute("aria-selected", n === number ? "true" : "false"); });
      active = number;
      if (number < 0) { box.removeAttribute("aria-activedescendant"); return; }
      box.setAttribute("aria-activedescendant", options[number].id);
      options[number].scrollIntoView({ block: "nearest" });
    }

    function choose(text) {
      box.value = text;
      close();
      form.submit();
    }

    function show(texts, kinds) {
      list.textContent = "";
      options = texts.map(function (text, n) {
        var option = document.createElement("li");
        option.id = list.id + "-" + n;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        var label = document.createElement("span");
        label.className = "label";
        label.textContent = text;
        var kind = document.createElement("span");
        kind.className = "kind";
        kind.textContent = kinds[n] || "";
        option.append(label, kind);
        // mousedown, not click: the box must not lose focus (and close the list) first.
        option.addEventListener("mousedown", function (event) { event.preventDefault(); choose(text); });
        list.appendChild(option);
        return option;
      });
      active = -1;
      list.hidden = options.length === 0;
      box.setAttribute("aria-expanded", options.length ? "true" : "false");
    }

    function ask() {
      var typed = box.value;
      var number = ++asked;
      if (!typed.trim()) { close(); return; }
      var url = new URL(form.dataset.suggest, window.location.href);
      url.searchParams.set("q", typed);
      fetch(url.href, { headers: { Accept: "application/x-suggestions+json" } })
        .then(function (response) { return response.ok ? response.json() : [typed, []]; })
        .then(function (body) {
          if (number !== asked) return;  // an older answer arriving late
          show(body[1] || [], body[2] || []);
        })
        .catch(function () { close(); });
    }

    box.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, WAIT_MS);
    });
    box.addEventListener("keydown", function (event) {
      var open = !list.hidden && options.length > 0;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!open) { if (box.value.trim()) ask(); return; }
        event.preventDefault();
        var step = event.key === "ArrowDown" ? 1 : -1;
        var next = active + step;
        if (next >= options.length) next = -1;
        if (next < -1) next = options.length - 1;
        highlight(next);
      } else if (event.key === "Enter" && open && active >= 0) {
        event.preventDefault();
        choose(options[active].querySelector(".label").textContent);
      } else if (event.key === "Escape" && open) {
        event.preventDefault();
        close();
      }
    });
    box.addEventListener("blur", close);
  });
})();
