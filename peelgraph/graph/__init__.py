"""The graph: facts to RDF triples (IRIs, evidence, provenance), and ``build``, which runs a
report file through ``text`` and ``extract`` and writes canonical N-Quads."""
