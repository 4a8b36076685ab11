"""Bounds on what a problem-set file may hold: one place for the numbers, shared by the
problem-set format and the check kinds that are part of it. See problemset/_limits.py for how
they are enforced."""

#: a problem-set file larger than this is refused before parsing
MAX_FILE_CHARS = 5_000_000
#: nodes that alias expansion may add to the document, in all
MAX_ALIAS_NODES = 10_000
#: deepest nesting of mappings and lists (the format needs about a dozen)
MAX_YAML_DEPTH = 64
MAX_QUESTIONS = 500
#: top-level parts of a question, and sub-parts of a part
MAX_PARTS = 100
MAX_CHECKS = 50
MAX_ID_CHARS = 64
MAX_UNIT_CHARS = 64
#: a numeric answer written as a string ("2 TB")
MAX_ANSWER_CHARS = 200
#: prompts, stems, solutions and preambles
MAX_TEXT_CHARS = 100_000
#: titles, labels, captions, notes, options and key points
MAX_SHORT_CHARS = 2_000
MAX_FIGURE_PATH_CHARS = 1_024
#: a numeric reference, in base units, is 0 or between these (beyond, ratios overflow)
MAX_MAGNITUDE = 1e100
MIN_MAGNITUDE = 1e-100
#: weights and points are between these
MAX_WEIGHT = 1e6
MIN_WEIGHT = 1e-6

