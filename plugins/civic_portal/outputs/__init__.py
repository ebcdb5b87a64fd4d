"""The files of the site, as plain descriptions any engine can write: `site.site_files()` (every
generated page and machine-readable file), `printing` (the newsletter PDFs), `search` (the search
bundle, which also runs as a process of its own: this package imports nothing, so that process
loads only what indexing needs), `admin` (the web form), `register` (the centre's register).
"""
