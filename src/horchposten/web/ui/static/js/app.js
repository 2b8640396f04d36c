/* Behaviour every page shares: when an htmx action is refused or the server cannot be
 * reached, say so at the top of the page (htmx swaps nothing for error answers). */
(function () {
  "use strict";

  function strings() {
    const node = document.getElementById("hp-strings");
    return node ? JSON.parse(node.textContent) : {};
  }

  function show(text) {
    const main = document.getElementById("main");
    let box = document.getElementById("hp-action-error");
    if (!box) {
      box = document.createElement("p");
      box.id = "hp-action-error";
      box.className = "notice notice-error";
      box.setAttribute("role", "alert");
      main.prepend(box);
    }
    box.textContent = text;
    box.scrollIntoView({ block: "nearest" });
  }

  document.addEventListener("htmx:responseError", (event) => {
    // Our error pages carry the reason in their first paragraph.
    const page = new DOMParser().parseFromString(event.detail.xhr.responseText || "", "text/html");
    const reason = page.querySelector("main .card p");
    show(reason ? reason.textContent : strings().actionFailed);
  });
  document.addEventListener("htmx:sendError", () => show(strings().offline));
  document.addEventListener("htmx:beforeRequest", () => {
    const box = document.getElementById("hp-action-error");
    if (box) box.remove();
  });
})();
