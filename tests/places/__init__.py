"""Tests of catalogue.places: the areas and the hex map."""
