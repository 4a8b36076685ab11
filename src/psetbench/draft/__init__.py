"""Drafting a problem set from a course's own homework files (`psetbench draft`).

Readers (`_tex`, `_pdf`, `_markdown`) turn a file into events; `_structure` builds the
questions, parts and sub-parts; `_align` brings in a separate solutions file; `_propose`
(and with a model, `_model`) proposes checks; `_assemble` and `_yaml` write the set with
comments for the TA; `draft_set` validates it before writing. See docs/draft.md.
"""

from psetbench.draft._draft import draft_set
from psetbench.draft._summary import format_summary
from psetbench.draft._types import DraftError, DraftSummary

__all__ = ["DraftError", "DraftSummary", "draft_set", "format_summary"]
