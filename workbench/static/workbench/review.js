// Turns a text selection in the contract into character offsets for "add a missed finding".
(function () {
  const container = document.getElementById("contract-text");
  const form = document.getElementById("missed-form");
  if (!container || !form) return;
  function offset(node, within) {
    const piece = (node.nodeType === Node.TEXT_NODE ? node.parentElement : node).closest("[data-start]");
    return piece ? Number(piece.dataset.start) + within : null;
  }
  // Any way of selecting counts (mouse, keyboard with caret browsing, touch), not only a mouse button released.
  document.addEventListener("selectionchange", function () {
    const selection = window.getSelection();
    if (!selection || selection.isCollapsed) return;
    const range = selection.getRangeAt(0);
    if (!container.contains(range.commonAncestorContainer)) return;
    const start = offset(range.startContainer, range.startOffset);
    const end = offset(range.endContainer, range.endOffset);
    if (start === null || end === null || end <= start) return;
    form.querySelector("[name=start]").value = start;
    form.querySelector("[name=end]").value = end;
    document.getElementById("missed-selection").textContent = "“" + selection.toString().slice(0, 160) + "”";
  });
})();
