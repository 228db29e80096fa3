"""The static site: plan pages, render them through the theme, write them atomically; feeds,
calendar and the site's own search index."""
