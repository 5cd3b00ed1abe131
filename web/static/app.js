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

  // The buttons are hidden in the HTML: without JavaScript the visible link is what to copy.
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var url = new URL(button.dataset.copy, window.location.href).href;
      // navigator.clipboard exists only on https and localhost; elsewhere let the reader copy.
      if (!navigator.clipboard) {
        window.prompt("复制此链接：", url);
        return;
      }
      navigator.clipboard.writeText(url).then(
        function () { flash(button, "已复制"); },
        function () { window.prompt("复制此链接：", url); }
      );
    });
  });
})();
