"""Tools for developers: synthetic reports (`kompass demo`) and the benchmark (`kompass bench`).

Imported by nothing but the CLI, and only when one of those commands runs;
their extra dependencies (fpdf2, fontTools, playwright) are in the `dev` extra.
"""
