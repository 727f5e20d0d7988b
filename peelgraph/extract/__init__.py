"""Extraction: from a laid-out report to facts with evidence.

``templates`` read the inspectorate's documents (force, year, pillar, questions, grades,
areas for improvement, recommendations); ``rules`` find entities, relations and findings;
``curation`` applies a report's small curation file. Every fact carries its quote and
offsets. Imports only ``peelgraph.text``, ``peelgraph.model`` and the base modules.
"""
