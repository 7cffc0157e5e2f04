/* Progressive enhancement only: every page works without this file.
   Filters are applied with their button, not on change: changing a select must not move the reader (WCAG 3.2.2). */
(function () {
  "use strict";
  // A button that copies the citation line; its labels come from the page, in the page's language.
  var citation = document.getElementById("citation-text");
  if (!citation || !navigator.clipboard) { return; }
  var button = document.createElement("button");
  button.type = "button";
  button.textContent = citation.dataset.copyLabel;
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(citation.textContent.trim()).then(function () {
      button.textContent = citation.dataset.copiedLabel;
    });
  });
  citation.parentNode.appendChild(button);
})();
