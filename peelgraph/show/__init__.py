"""Outputs: RDF exports, network exports (GraphML, GEXF, JSON, DOT, CSV, SVG, PNG) and the
offline partner-network explorer."""
