"""Text: read a report file (text or PDF), lay it out, and keep every offset in the file.

``read`` turns a file into text (``pdf`` lays a PDF's pages out as text, from poppler's word
boxes, without running headers, footers and page numbers); ``layout`` separates running text, headings, grade lines,
captions and footnotes, normalises a copy with a map back to the file's offsets, and splits
sentences. Nothing here knows a template or an entity.
"""
