"""Text: read a report file (text or PDF), lay it out, and keep every offset in the file.

``read`` turns a file into text; ``layout`` separates running text, headings, grade lines,
captions and footnotes, normalises a copy with a map back to the file's offsets, and splits
sentences. Nothing here knows a template or an entity.
"""
