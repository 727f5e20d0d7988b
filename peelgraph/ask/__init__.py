"""Questions to the graph, asked through a :class:`~peelgraph.store.backend.Backend`.

::

    catalogue.py   the canned queries (queries/NAME.rq) and their headers
    execute.py     SPARQL text on a backend: prologue, query form, time limit, located errors
    guard.py       the parser guard: queries too long or nested too deep for the engine refused
    binding.py     parameters as RDF terms in a VALUES block; entity names resolved to IRIs
    run.py         a query with its parameters -> Result (columns in the header's order)
    render.py      a Result as a table, CSV, TSV, Markdown or SPARQL results JSON
    stats.py       counts by class and fact origin; each report summed up
    network.py     partner networks: views as networkx graphs, and the analyses on them
    validate.py    SHACL validation and the evidence check
    evaluate.py    the rules against a gold annotation

The query path (catalogue, execute, guard, binding, run, render) imports neither rdflib nor
networkx, so ``peelgraph query`` starts fast.
"""
