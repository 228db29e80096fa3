"""Every lint rule, in the order they run: one id each, with its default severity and scope.

The ids are the ones `build` warns with too. `[checks]` in tilbook.toml re-levels a rule or
switches it `off` (then it does not run at all).
"""
from __future__ import annotations

from . import note_rules as note
from . import notebook_rules as notebook
from . import post_rules as post
from .model import Rule

RULES: tuple[Rule, ...] = (
    # what the renderer notices in each note
    Rule("footnote-malformed", "error", "note", note.rendered_warnings("footnote-malformed", footnote=True),
         "`[^ 5]:` is no definition (space in the label)"),
    Rule("footnote-undefined", "error", "note", note.rendered_warnings("footnote-undefined", footnote=True),
         "a reference with no definition"),
    Rule("footnote-unused", "warning", "note", note.rendered_warnings("footnote-unused", footnote=True),
         "a definition nothing references"),
    Rule("math-error", "error", "note", note.rendered_warnings("math-error"), "LaTeX that does not render"),
    Rule("math-delimiter", "warning", "note", note.rendered_warnings("math-delimiter"),
         "a `$…$` kept from rendering by a space inside the dollars"),
    Rule("code-language", "warning", "note", note.rendered_warnings("code-language"), "a fence language Pygments does not know"),
    Rule("image-missing", "error", "note", note.missing_images, "a local image that does not exist"),
    Rule("link-broken", "warning", "note", note.broken_links, "a local link to nothing"),
    Rule("date-invalid", "error", "note", note.future_date, "a date in the future"),
    # the notebook as a whole
    Rule("date-invalid", "error", "notebook", notebook.unreadable_dates, "a date that is no date"),
    Rule("frontmatter-invalid", "error", "notebook", notebook.unreadable_front_matter, "front matter that cannot be read"),
    Rule("frontmatter-unknown-field", "warning", "notebook", notebook.unknown_fields, "a field tilbook does not read"),
    Rule("category-alias", "info", "notebook", notebook.category_aliases, "a category written as its alias"),
    Rule("category-inconsistent", "warning", "notebook", notebook.categories_outside_table,
         "a category missing from [categories]"),
    Rule("duplicate-note", "warning", "notebook", notebook.duplicates, "two notes with one date and text"),
    Rule("note-near-duplicate", "warning", "notebook", notebook.near_duplicates, "two notes with one date and title"),
    # a digest post read as a whole
    Rule("footnote-malformed", "error", "post", post.found_while_reading("footnote-malformed")),
    Rule("footnote-undefined", "error", "post", post.found_while_reading("footnote-undefined")),
    Rule("footnote-unused", "warning", "post", post.found_while_reading("footnote-unused")),
    Rule("footnote-duplicate", "error", "post", post.found_while_reading("footnote-duplicate"), "a label defined twice"),
    Rule("category-inconsistent", "warning", "post", post.found_while_reading("category-inconsistent"),
         "label drift: spaces, a lost emoji joiner"),
    Rule("date-invalid", "error", "post", post.found_while_reading("date-invalid"), "a missing or impossible date"),
    Rule("frontmatter-invalid", "error", "post", post.draft_not_boolean, "`draft` that is not a boolean"),
    Rule("date-order", "warning", "post", post.date_order, "a note out of the post's date order"),
    Rule("duplicate-note", "warning", "post", post.duplicates),
    Rule("note-near-duplicate", "warning", "post", post.near_duplicates),
    Rule("category-inconsistent", "warning", "post", post.category_labels, "labels differing in case, or unknown"),
)

RULE_IDS = tuple(dict.fromkeys(rule.id for rule in RULES)) + ("digest-invalid",)
"""Every id a finding can carry (`digest-invalid`: a post that cannot be read as a digest)."""
