"""The public pages, one module each: cases (home, list, case page), principles, explore (compare, insights,
about), pdf (summaries and booklets) and data (exports, data dictionary, robots.txt, health check). Views are
thin: they read the request, call the QuerySets, FilterSet and explore/pdf/opendata functions, and render."""
