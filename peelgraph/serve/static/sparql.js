// The peelgraph SPARQL query page (GET /sparql in a browser): YASGUI on this server's endpoint,
// offline. The page's data (endpoint, prefixes, default query, canned examples) is the JSON in
// #peelgraph-config, written by peelgraph.serve.pages.sparql_page.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("peelgraph-config").textContent);
  var endpoint = new URL(config.endpoint, window.location.href).href;
  var Yasgui = window.Yasgui;
  // The class and property autocompleters ask a remote service (Linked Open Vocabularies): off.
  // The prefix autocompleter uses the list bundled in YASGUI; variables are read from the query.
  Yasgui.Yasqe.defaults.autocompleters = ["prefixes", "variables"];
  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    populateFromUrl: false,
    autofocus: false,
    persistenceId: "peelgraph-sparql-" + window.location.host,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; }, keys: [] },
    yasqe: { value: config.query, prefixCcApi: null },
    yasr: { prefixes: config.prefixes }
  });
  window.peelgraphYasgui = yasgui;  // for the browser test and the curious
  var buttons = document.querySelectorAll("button.example");
  Array.prototype.forEach.call(buttons, function (button) {
    button.addEventListener("click", function () {
      var example = config.examples[Number(button.getAttribute("data-index"))];
      var tab = yasgui.getTab();
      tab.setQuery(example.text);
      tab.getYasqe().focus();
    });
  });
}());
