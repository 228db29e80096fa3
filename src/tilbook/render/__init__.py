"""Markdown, math and code rendering for notes."""
from .highlight import highlight, known_language, pygments_css
from .markdown import Renderer, Rendered, RenderWarning
from .math import MathError, expand_macros, latex_to_mathml, unknown_commands

__all__ = ["MathError", "RenderWarning", "Rendered", "Renderer", "expand_macros", "highlight", "known_language",
           "latex_to_mathml", "pygments_css", "unknown_commands"]
