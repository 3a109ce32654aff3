"""Places: the areas where case studies have sites, and the hex map that shows them.

Kept apart from the models: `hexmap` reads the shipped HexJSON layout of the UK's local authority districts and
works out the map's geometry in plain Python, so the views and the PDF can draw it as server-rendered SVG from
any counts they have, and the tests can check the drawing without a database.
"""
