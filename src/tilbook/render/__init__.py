"""Markdown, math and code rendering for notes."""
from .highlight import highlight, known_language, pygments_css
from .markdown import Renderer, Rendered, RenderWarning
from .math import MathError, MathProblem, expand_macros, plain_math, render_math, to_mathml

__all__ = ["MathError", "MathProblem", "RenderWarning", "Rendered", "Renderer", "expand_macros", "highlight",
           "known_language", "plain_math", "pygments_css", "render_math", "to_mathml"]
