"""Where the graph lives, and the one interface queries run through.

::

    backend.py    the Backend protocol: query, ask, construct, describe, close, name
    oxigraph.py   the persisted store (canonical N-Quads + a pyoxigraph cache), built and
                  rebuilt when its inputs change; OxigraphBackend, the default backend
    memory.py     rdflib's in-memory store as a backend (--store-kind memory)
    remote.py     any SPARQL 1.1 endpoint as a backend (--endpoint), and push
"""
