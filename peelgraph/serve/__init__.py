"""The read-only SPARQL 1.1 Protocol endpoint and the pages it serves."""
