/* Suggest a key from the label with the server's rules (values.normalize_key);
   the server checks the key again and has the last word. */
(function () {
  var label = document.getElementById("id_label");
  var key = document.getElementById("id_key");
  if (!label || !key) return;
  function normalizeKey(text) {
    var ascii = text.normalize("NFKD").replace(/[^\x00-\x7F]/g, "");
    var words = ascii.replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2").replace(/([a-z0-9])([A-Z])/g, "$1_$2");
    var k = words.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "");
    if (!k) return "";
    if (/^[0-9]/.test(k)) k = "p_" + k;
    return k.slice(0, 64).replace(/_+$/, "");
  }
  // Follow the label until the key is typed by hand; an emptied key follows again.
  var followsLabel = key.value === "" || key.value === normalizeKey(label.value);
  label.addEventListener("input", function () {
    if (followsLabel) key.value = normalizeKey(label.value);
  });
  key.addEventListener("input", function () {
    followsLabel = key.value === "";
  });
})();
