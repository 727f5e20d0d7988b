"""Where the graph lives: the persisted pyoxigraph store (default), rdflib's memory store,
and remote SPARQL 1.1 endpoints, all behind one backend interface."""
