// Sphinx's doctools.js turns a translation's plural rule into code with `new Function`, which the
// site's Content-Security-Policy forbids (no 'unsafe-eval'). Loaded after doctools.js and before
// translations.js (lib/sitecheck.py), this does the same without evaluating a string.
(function () {
  "use strict";
  if (typeof Documentation === "undefined") {
    return;
  }
  var RULES = {
    "(n != 1)": function (n) { return n != 1 ? 1 : 0; },
    "(n > 1)": function (n) { return n > 1 ? 1 : 0; },
    "0": function () { return 0; }
  };
  Documentation.addTranslations = function (catalog) {
    Object.assign(Documentation.TRANSLATIONS, catalog.messages);
    var rule = RULES[String(catalog.plural_expr).trim()];
    if (rule) {
      Documentation.PLURAL_EXPR = rule;
    } else {
      console.warn("Onbekende meervoudsregel, Engelse regel gebruikt:", catalog.plural_expr);
    }
    Documentation.LOCALE = catalog.locale;
  };
})();
