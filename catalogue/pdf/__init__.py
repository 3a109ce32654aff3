"""PDF summaries of case studies, rendered by WeasyPrint: one case, or a selection of cases as a booklet.

- documents.py: what a summary and a booklet hold, and their cache (the public fast path included);
- fingerprints.py: the cache key, a hash of exactly what a PDF shows and of everything it is drawn from;
- render.py: HTML to tagged PDF through a URL fetcher that reads nothing but the app's static files;
- patches.py: version-gated fixes to WeasyPrint, each with its upstream issue.
"""
