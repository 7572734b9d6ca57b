"""The bottom floor: what a Kommunkompassen evaluation is, with no database and no UI.

Framework generations and their area names, Sweden's municipalities, their
neighbours and map polygons. The reference files ship inside the package
(`kompass/domain/data/`, read through `importlib.resources`), so an installed
wheel works anywhere.
"""
