"""Questions to the graph: canned SPARQL queries, partner networks (networkx), SHACL
validation, and the evaluation of the rules against a gold annotation."""
